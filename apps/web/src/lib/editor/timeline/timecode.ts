import { frameIndexAt, secondsToMicros, type Rational } from '@cutline/timeline';

/**
 * Timecode as editors show it. 29.97 and 59.94 fps use SMPTE drop-frame (`;` before the
 * frames: frame numbers 0 and 1 — 0–3 at 59.94 — are skipped every minute except every
 * tenth), so the timecode stays on the wall clock; every other rate is non-drop with its
 * nominal (rounded) frame count per second.
 */
export function isDropFrame(fps: Rational): boolean {
  return (fps.num === 30000 || fps.num === 60000) && fps.den === 1001;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Frame index → `HH:MM:SS:FF` (or `HH:MM:SS;FF` for drop-frame rates). */
export function framesToTimecode(frame: number, fps: Rational): string {
  const nominal = Math.max(1, Math.round(fps.num / fps.den));
  let f = Math.max(0, Math.floor(frame));
  const drop = isDropFrame(fps);
  if (drop) {
    // SMPTE 12M: count the dropped numbers back in before splitting into fields.
    const dropPerMinute = nominal === 60 ? 4 : 2;
    const framesPer10Min = nominal * 600 - dropPerMinute * 9;
    const framesPerMinute = nominal * 60 - dropPerMinute;
    const tens = Math.floor(f / framesPer10Min);
    const rest = f % framesPer10Min;
    f += dropPerMinute * 9 * tens + (rest > dropPerMinute ? dropPerMinute * Math.floor((rest - dropPerMinute) / framesPerMinute) : 0);
  }
  const ff = f % nominal;
  const totalSeconds = Math.floor(f / nominal);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  return `${pad(hh)}:${pad(mm)}:${pad(ss)}${drop ? ';' : ':'}${pad(ff)}`;
}

/** Seconds → the timecode of the frame that contains that time (TL22's grid). */
export function formatTimecode(seconds: number, fps: Rational): string {
  return framesToTimecode(frameIndexAt(Math.max(0, secondsToMicros(seconds)), fps), fps);
}

/** A short human length: `0:04.50`, `1:05.00`, `1:02:03.00`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  const whole = Math.floor(s + 1e-9);
  const hundredths = Math.floor((s - whole) * 100 + 1e-6);
  const hh = Math.floor(whole / 3600);
  const mm = Math.floor(whole / 60) % 60;
  const ss = whole % 60;
  const tail = `${pad(ss)}.${pad(hundredths)}`;
  return hh > 0 ? `${hh}:${pad(mm)}:${tail}` : `${mm}:${tail}`;
}

/** Ruler labels: `0:05`, `1:30`, `1:00:00`; with frames (`0:05:12`) when ticks are finer than a second. */
export function formatRulerLabel(seconds: number, fps: Rational, withFrames: boolean): string {
  const nominal = Math.max(1, Math.round(fps.num / fps.den));
  const frame = frameIndexAt(Math.max(0, secondsToMicros(seconds)), fps);
  const whole = withFrames ? Math.floor(frame / nominal) : Math.round(seconds);
  const hh = Math.floor(whole / 3600);
  const mm = Math.floor(whole / 60) % 60;
  const ss = whole % 60;
  const base = hh > 0 ? `${hh}:${pad(mm)}:${pad(ss)}` : `${mm}:${pad(ss)}`;
  return withFrames ? `${base}:${pad(frame % nominal)}` : base;
}

/**
 * What a person types into a time field, in seconds, or null:
 * `HH:MM:SS:FF` / `HH:MM:SS;FF` (frames at the nominal rate), `M:SS(.s)`, `H:MM:SS(.s)`,
 * or plain seconds `12.5`. Drop-frame input is read as the wall-clock time it names.
 */
export function parseTimecode(text: string, fps: Rational): number | null {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const frames = /^(\d+):(\d{1,2}):(\d{1,2})[:;](\d{1,3})$/.exec(trimmed);
  const nominal = Math.max(1, Math.round(fps.num / fps.den));
  if (frames) {
    const [hh, mm, ss, ff] = frames.slice(1).map(Number) as [number, number, number, number];
    if (mm > 59 || ss > 59 || ff >= nominal) return null;
    return hh * 3600 + mm * 60 + ss + ff / nominal;
  }
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(trimmed);
  if (clock) {
    const hh = Number(clock[1] ?? 0);
    const mm = Number(clock[2]);
    const ss = Number(clock[3]);
    if ((clock[1] !== undefined && mm > 59) || ss >= 60) return null;
    return hh * 3600 + mm * 60 + ss;
  }
  return null;
}
