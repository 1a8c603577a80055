/**
 * Editor keyboard shortcuts, as in desktop editors (Premiere, Resolve, Final Cut):
 * Space play/pause, J/K/L shuttle, S split, Delete / Shift+Delete ripple delete,
 * Ctrl/Cmd+Z undo, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redo, +/- zoom, arrows step frames,
 * I/O in and out points, M marker, [ and ] trim the selected clips' start or end to the
 * playhead (the keyboard way to trim).
 */
export type ShortcutAction =
  | 'togglePlay'
  | 'shuttleReverse'
  | 'shuttleStop'
  | 'shuttleForward'
  | 'split'
  | 'delete'
  | 'rippleDelete'
  | 'undo'
  | 'redo'
  | 'zoomIn'
  | 'zoomOut'
  | 'zoomFit'
  | 'prevFrame'
  | 'nextFrame'
  | 'back1s'
  | 'forward1s'
  | 'goStart'
  | 'goEnd'
  | 'markIn'
  | 'markOut'
  | 'addMarker'
  | 'trimStart'
  | 'trimEnd'
  | 'clearSelection';

export type KeyLike = { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean };

export function shortcutFor(e: KeyLike, { mac }: { mac: boolean }): ShortcutAction | null {
  const command = mac ? e.metaKey : e.ctrlKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (command && !e.altKey) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && !mac) return 'redo';
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (key) {
    case ' ':
      return 'togglePlay';
    case 'j':
      return 'shuttleReverse';
    case 'k':
      return 'shuttleStop';
    case 'l':
      return 'shuttleForward';
    case 's':
      return 'split';
    case 'Delete':
    case 'Backspace':
      return e.shiftKey ? 'rippleDelete' : 'delete';
    case '+':
    case '=':
      return 'zoomIn';
    case '-':
    case '_':
      return 'zoomOut';
    case '\\':
      return 'zoomFit';
    case 'ArrowLeft':
      return e.shiftKey ? 'back1s' : 'prevFrame';
    case 'ArrowRight':
      return e.shiftKey ? 'forward1s' : 'nextFrame';
    case 'Home':
      return 'goStart';
    case 'End':
      return 'goEnd';
    case 'i':
      return 'markIn';
    case 'o':
      return 'markOut';
    case 'm':
      return 'addMarker';
    case '[':
      return 'trimStart';
    case ']':
      return 'trimEnd';
    case 'Escape':
      return 'clearSelection';
    default:
      return null;
  }
}

/**
 * Keys typed into a field belong to the field. Buttons and sliders keep Space/Enter and
 * the arrows for themselves too, so shortcuts never hijack a focused control.
 */
export function targetOwnsKey(target: EventTarget | null, e: KeyLike): boolean {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) {
    const input = target.closest('input');
    // Checkboxes and ranges don't type text; only their own keys are theirs.
    if (input && (input.type === 'checkbox' || input.type === 'radio')) return e.key === ' ';
    if (input && input.type === 'range') return e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End' || e.key === 'PageUp' || e.key === 'PageDown';
    return true;
  }
  if (target.closest('button, a[href], [role="button"], [role="menuitem"], [role="tab"]')) return e.key === ' ' || e.key === 'Enter';
  if (target.closest('[role="slider"]')) return e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End';
  return false;
}

export const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
