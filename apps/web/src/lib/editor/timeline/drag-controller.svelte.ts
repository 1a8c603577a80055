import type { SnapshotClip, TimelineCommand, TimelineSnapshot } from '@cutline/timeline';
import { trackAcceptsClip } from '@cutline/timeline/layout';
import type { ProjectSession } from '../session/project-session.svelte.ts';
import type { ViewState } from '../session/view-state.svelte.ts';
import { isFree, trimBounds } from './edit-math.ts';
import { SNAP_PX, snapSpan, snapTargets, snapTime } from './snapping.ts';

export type MoveDrag = {
  mode: 'move';
  clipIds: readonly string[];
  /** Seconds every dragged clip moves by. */
  delta: number;
  /** Where the dragged clips go (null: they stay on their tracks). */
  targetTrackId: string | null;
  valid: boolean;
};

export type TrimDrag = { mode: 'trim'; clipId: string; edge: 'start' | 'end'; to: number; valid: boolean };

export type DragState = MoveDrag | TrimDrag;

/**
 * Clip drags. While the pointer moves, only this state changes (a ghost is drawn where
 * the clips would land, red where they cannot); on release the edit is applied as ONE
 * command batch — one transaction, one undo step, one update for collaborators — in an
 * order that never makes the moved clips overlap each other mid-batch.
 */
export class DragController {
  state: DragState | null = $state.raw(null);
  private readonly session: ProjectSession;
  private readonly view: ViewState;

  constructor({ session, view }: { session: ProjectSession; view: ViewState }) {
    this.session = session;
    this.view = view;
  }

  private get snap(): TimelineSnapshot {
    return this.session.snapshot;
  }

  private threshold(): number {
    return this.view.snapping ? SNAP_PX / this.view.pxPerSecond : 0;
  }

  /** The span a clip is drawn at in its own lane right now (moves across tracks draw a ghost instead). */
  displaySpan(clip: SnapshotClip): { start: number; duration: number } {
    const s = this.state;
    if (s?.mode === 'move' && !s.targetTrackId && s.clipIds.includes(clip.id)) return { start: clip.start + s.delta, duration: clip.duration };
    if (s?.mode === 'trim' && s.clipId === clip.id) {
      const end = clip.start + clip.duration;
      return s.edge === 'start' ? { start: s.to, duration: end - s.to } : { start: clip.start, duration: s.to - clip.start };
    }
    return { start: clip.start, duration: clip.duration };
  }

  updateMove({ anchor, clipIds, rawDelta, overTrackId }: { anchor: SnapshotClip; clipIds: readonly string[]; rawDelta: number; overTrackId: string | null }): void {
    const snap = this.snap;
    const moving = snap.clips.filter((c) => clipIds.includes(c.id));
    const exclude = clipIds;
    const sameTrack = moving.every((c) => c.trackId === anchor.trackId);
    const targetTrackId = sameTrack && overTrackId && overTrackId !== anchor.trackId ? overTrackId : null;
    const snapped = snapSpan({
      start: anchor.start + rawDelta,
      duration: anchor.duration,
      targets: snapTargets({ snapshot: snap, playhead: this.view.playhead, exclude }),
      thresholdSeconds: this.threshold(),
    });
    const earliest = Math.min(...moving.map((c) => c.start));
    // Never before 0: the whole group stops at the timeline start.
    const delta = Math.max(snapped.time - anchor.start, -earliest);
    const clamped = delta !== snapped.time - anchor.start;
    this.view.snapGuide = snapped.target && !clamped ? snapped.target.time : null;
    const valid = moving.every((c) => {
      const trackId = targetTrackId ?? c.trackId;
      const track = snap.tracks.find((t) => t.id === trackId);
      if (!track || track.locked || !trackAcceptsClip({ trackKind: track.kind, clipKind: c.kind })) return false;
      return isFree({ snapshot: snap, trackId, start: c.start + delta, end: c.start + delta + c.duration, exclude });
    });
    this.state = { mode: 'move', clipIds, delta, targetTrackId, valid };
  }

  updateTrim({ clip, edge, rawTo }: { clip: SnapshotClip; edge: 'start' | 'end'; rawTo: number }): void {
    const bounds = trimBounds({ clip, snapshot: this.snap });
    const snapped = snapTime({ time: rawTo, targets: snapTargets({ snapshot: this.snap, playhead: this.view.playhead, exclude: [clip.id] }), thresholdSeconds: this.threshold() });
    const lo = edge === 'start' ? bounds.minStart : bounds.minEnd;
    const hi = edge === 'start' ? bounds.maxStart : bounds.maxEnd;
    const to = Math.min(hi, Math.max(lo, snapped.time));
    this.view.snapGuide = snapped.target && Math.abs(to - snapped.time) < 1e-9 ? to : null;
    this.state = { mode: 'trim', clipId: clip.id, edge, to, valid: true };
  }

  cancel(): void {
    this.state = null;
    this.view.snapGuide = null;
  }

  commit(): void {
    const s = this.state;
    this.cancel();
    if (!s) return;
    if (s.mode === 'trim') {
      this.session.run({ type: 'trimClip', clipId: s.clipId, edge: s.edge, to: s.to });
      return;
    }
    if (!s.valid) {
      this.session.notify('The clips cannot go there: it overlaps another clip or the track does not take them.');
      return;
    }
    if (Math.abs(s.delta) < 1e-9 && !s.targetTrackId) return;
    const moving = this.snap.clips.filter((c) => s.clipIds.includes(c.id));
    // Moving right, the rightmost goes first (and vice versa): no transient overlaps.
    moving.sort((a, b) => (s.delta > 0 ? b.start - a.start : a.start - b.start));
    const commands: TimelineCommand[] = moving.map((c) => ({ type: 'moveClip', clipId: c.id, start: c.start + s.delta, ...(s.targetTrackId ? { trackId: s.targetTrackId } : {}) }));
    this.session.runBatch(commands);
  }
}
