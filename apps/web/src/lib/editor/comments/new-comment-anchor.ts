// Where a new comment goes: the frame at the playhead, or the in–out range, and which clip
// it may be pinned to. Pure, so the composer's defaults are unit-tested.

import type { SnapshotClip, TimelineSnapshot } from '@cutline/timeline';

export type AnchorRange = { start: number; end: number };

/** Model times are whole µs; a range edge that lands on a clip edge must count as inside. */
const EPS = 1e-6;

/**
 * The in–out range as the timeline draws it (a missing in is 0, a missing out the end of
 * the timeline), or null when no point is set or the range is empty.
 */
export function inOutRange({ inPoint, outPoint, duration }: { inPoint: number | null; outPoint: number | null; duration: number }): AnchorRange | null {
  if (inPoint === null && outPoint === null) return null;
  const a = inPoint ?? 0;
  const b = outPoint ?? duration;
  const start = Math.max(0, Math.min(a, b));
  const end = Math.max(a, b);
  return end - start > EPS ? { start, end } : null;
}

const contains = (clip: SnapshotClip, range: AnchorRange) => clip.start <= range.start + EPS && range.end <= clip.start + clip.duration + EPS;

/**
 * The clip a new comment on `range` may be pinned to: the selected clip when the range
 * lies within it (pinned by default), else the clip on the topmost track that holds the
 * range (offered, not pinned by default). Null when no clip holds the whole range.
 */
export function pinCandidate({ snapshot, range, selectedClipIds }: { snapshot: TimelineSnapshot; range: AnchorRange; selectedClipIds: readonly string[] }): { clip: SnapshotClip; byDefault: boolean } | null {
  if (selectedClipIds.length === 1) {
    const selected = snapshot.clips.find((c) => c.id === selectedClipIds[0]);
    if (selected && contains(selected, range)) return { clip: selected, byDefault: true };
  }
  // snapshot.tracks is bottom-up (the first track is drawn lowest), so search from the top.
  for (const track of [...snapshot.tracks].reverse()) {
    const clip = snapshot.clips.find((c) => c.trackId === track.id && contains(c, range));
    if (clip) return { clip, byDefault: false };
  }
  return null;
}
