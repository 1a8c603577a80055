// Comment anchors (TL62). A clip anchor is stored in the clip's source time, so it
// follows the clip through moves and trims: timeline time = clip.start + (source −
// clip.sourceIn) / clip.speed. Non-media clips have sourceIn 0 and speed 1, so for them
// the anchor is an offset from the clip start.

import type { SnapshotClip, TimelineSnapshot } from '../snapshot.ts';
import { secondsToMicros } from '../time.ts';

export interface StoredAnchor {
  /** Timeline µs when the comment was made: the fallback once the clip is gone. */
  readonly start: number;
  readonly end: number;
  readonly clipId: string | null;
  /** Source µs of the range, for clip anchors. */
  readonly sourceStart: number | null;
  readonly sourceEnd: number | null;
}

export type AnchorState = 'time' | 'clip' | 'outside' | 'detached';

export interface ResolvedAnchor {
  /** Timeline seconds. */
  readonly start: number;
  readonly end: number;
  readonly clipId: string | null;
  /**
   * `time`: plain time range. `clip`: follows the clip and lies inside it. `outside`:
   * follows the clip but the range is no longer inside it (trimmed away or split off).
   * `detached`: the clip is gone; the original times are shown.
   */
  readonly state: AnchorState;
}

/** Source µs of timeline µs `t` in a clip (extrapolated beyond its edges). */
export function clipSourceAt(clip: SnapshotClip, t: number): number {
  return secondsToMicros(clip.sourceIn) + (t - secondsToMicros(clip.start)) * clip.speed;
}

/** Timeline µs of source µs `s` in a clip. */
export function clipTimeAt(clip: SnapshotClip, s: number): number {
  return secondsToMicros(clip.start) + (s - secondsToMicros(clip.sourceIn)) / clip.speed;
}

export function resolveAnchor(anchor: StoredAnchor, timeline: TimelineSnapshot | undefined, clipIndex?: ReadonlyMap<string, SnapshotClip>): ResolvedAnchor {
  const plain = { start: anchor.start / 1e6, end: anchor.end / 1e6, clipId: anchor.clipId };
  if (anchor.clipId === null || anchor.sourceStart === null || anchor.sourceEnd === null) return { ...plain, state: 'time' };
  const clip = clipIndex?.get(anchor.clipId) ?? timeline?.clips.find((c) => c.id === anchor.clipId);
  if (clip === undefined) return { ...plain, state: 'detached' };
  const start = Math.round(clipTimeAt(clip, anchor.sourceStart));
  const end = Math.round(clipTimeAt(clip, anchor.sourceEnd));
  const clipStart = secondsToMicros(clip.start);
  const clipEnd = clipStart + secondsToMicros(clip.duration);
  const inside = start >= clipStart && end <= clipEnd;
  return { start: start / 1e6, end: end / 1e6, clipId: clip.id, state: inside ? 'clip' : 'outside' };
}
