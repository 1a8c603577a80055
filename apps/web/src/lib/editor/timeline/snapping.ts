import type { TimelineSnapshot } from '@cutline/timeline';

/** Pointer distance within which an edge snaps, in screen pixels (zoom-independent feel). */
export const SNAP_PX = 8;

export type SnapTarget = { time: number; kind: 'playhead' | 'clip' | 'marker' | 'origin' };

/**
 * Where edges may snap: the playhead, the start of the timeline, every other clip's
 * edges (all tracks) and markers. Clips being dragged are left out (`exclude`).
 */
export function snapTargets({ snapshot, playhead, exclude: excluded = [] }: { snapshot: TimelineSnapshot; playhead: number; exclude?: Iterable<string> }): SnapTarget[] {
  const exclude = new Set(excluded);
  const targets: SnapTarget[] = [{ time: 0, kind: 'origin' }, { time: playhead, kind: 'playhead' }];
  for (const clip of snapshot.clips) {
    if (exclude.has(clip.id)) continue;
    targets.push({ time: clip.start, kind: 'clip' }, { time: clip.start + clip.duration, kind: 'clip' });
  }
  for (const marker of snapshot.markers) targets.push({ time: marker.time, kind: 'marker' });
  return targets;
}

export type Snapped = { time: number; target: SnapTarget | null };

/** The nearest target within `thresholdSeconds` of `time`, else `time` itself. */
export function snapTime({ time, targets, thresholdSeconds }: { time: number; targets: readonly SnapTarget[]; thresholdSeconds: number }): Snapped {
  let best: SnapTarget | null = null;
  let bestDistance = thresholdSeconds;
  for (const target of targets) {
    const d = Math.abs(target.time - time);
    if (d <= bestDistance) {
      // The playhead wins a tie: it is what the person is looking at.
      if (d === bestDistance && best?.kind === 'playhead') continue;
      best = target;
      bestDistance = d;
    }
  }
  return best ? { time: best.time, target: best } : { time, target: null };
}

/**
 * A span being moved snaps by whichever of its edges is nearer a target; the span keeps
 * its length. Returns the new start and the target used (for the snap guide line).
 */
export function snapSpan({ start, duration, targets, thresholdSeconds }: { start: number; duration: number; targets: readonly SnapTarget[]; thresholdSeconds: number }): Snapped {
  const head = snapTime({ time: start, targets, thresholdSeconds });
  const tail = snapTime({ time: start + duration, targets, thresholdSeconds });
  const headDistance = head.target ? Math.abs(head.time - start) : Number.POSITIVE_INFINITY;
  const tailDistance = tail.target ? Math.abs(tail.time - (start + duration)) : Number.POSITIVE_INFINITY;
  if (headDistance === Number.POSITIVE_INFINITY && tailDistance === Number.POSITIVE_INFINITY) return { time: Math.max(0, start), target: null };
  if (headDistance <= tailDistance) return { time: Math.max(0, head.time), target: head.target };
  return { time: Math.max(0, tail.time - duration), target: tail.target };
}
