import type { SnapshotAsset, SnapshotClip, TimelineSnapshot } from '@cutline/timeline';

/**
 * How far each edge of a clip may go (seconds), so a drag stops where the command would
 * refuse: at the neighbours on its track (no overlaps, TL17), at the media's start and
 * end (TL13, source time scaled by speed), and at least one frame long.
 */
export function trimBounds({ clip, snapshot, frame }: { clip: SnapshotClip; snapshot: TimelineSnapshot; frame: number }): {
  minStart: number;
  maxStart: number;
  minEnd: number;
  maxEnd: number;
} {
  const end = clip.start + clip.duration;
  let prevEnd = 0;
  let nextStart = Number.POSITIVE_INFINITY;
  for (const other of snapshot.clips) {
    if (other.trackId !== clip.trackId || other.id === clip.id) continue;
    const otherEnd = other.start + other.duration;
    if (otherEnd <= clip.start + 1e-9) prevEnd = Math.max(prevEnd, otherEnd);
    if (other.start >= end - 1e-9) nextStart = Math.min(nextStart, other.start);
  }
  const media = clip.kind === 'video' || clip.kind === 'audio';
  const asset = clip.assetId ? snapshot.assets.find((a) => a.id === clip.assetId) : undefined;
  const mediaStart = media ? clip.start - clip.sourceIn / clip.speed : 0;
  const mediaEnd = media && asset?.duration != null ? clip.start + (asset.duration - clip.sourceIn) / clip.speed : Number.POSITIVE_INFINITY;
  return {
    minStart: Math.max(prevEnd, mediaStart, 0),
    maxStart: end - frame,
    minEnd: clip.start + frame,
    maxEnd: Math.min(nextStart, mediaEnd),
  };
}

/** True when [start, end) on `trackId` overlaps no clip other than those in `exclude`. */
export function isFree({ snapshot, trackId, start, end, exclude: excluded = [] }: { snapshot: TimelineSnapshot; trackId: string; start: number; end: number; exclude?: Iterable<string> }): boolean {
  const exclude = new Set(excluded);
  const eps = 1e-7;
  for (const c of snapshot.clips) {
    if (c.trackId !== trackId || exclude.has(c.id)) continue;
    if (c.start < end - eps && start < c.start + c.duration - eps) return false;
  }
  return true;
}

/** The clip under time `t` on a track (a clip covers [start, end)). */
export function clipAtTime(snapshot: TimelineSnapshot, trackId: string, t: number): SnapshotClip | undefined {
  return snapshot.clips.find((c) => c.trackId === trackId && c.start <= t && t < c.start + c.duration);
}

/** The clip that starts exactly where `clip` ends on the same track (a cut), if any. */
export function nextAdjacent(snapshot: TimelineSnapshot, clip: SnapshotClip): SnapshotClip | undefined {
  const end = clip.start + clip.duration;
  return snapshot.clips.find((c) => c.trackId === clip.trackId && c.id !== clip.id && Math.abs(c.start - end) < 1e-6);
}

/** The longest transition (seconds) the cut between `from` and `to` allows (TL18 handles). */
export function maxTransitionDuration({ from, to, assets }: { from: SnapshotClip; to: SnapshotClip; assets: readonly SnapshotAsset[] }): number {
  let max = Math.min(from.duration, to.duration);
  // Incoming media needs ⌊d/2⌋ × speed of source before its in-point.
  if (to.kind === 'video' || to.kind === 'audio') max = Math.min(max, (2 * to.sourceIn) / to.speed);
  if (from.kind === 'video' || from.kind === 'audio') {
    const asset = assets.find((a) => a.id === from.assetId);
    if (asset?.duration != null) {
      const tail = (asset.duration - from.sourceIn) / from.speed - from.duration;
      max = Math.min(max, 2 * tail);
    }
  }
  return Math.max(0, max);
}
