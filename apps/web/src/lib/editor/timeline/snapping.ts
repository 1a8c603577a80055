import { microsToSeconds, secondsToMicros, type TimelineSnapshot } from '@cutline/timeline';
import * as rules from '@cutline/timeline/layout';

// What an edge snaps to is a rule of @cutline/timeline/layout (TL78, in µs); the editor
// speaks seconds and measures the threshold in screen pixels.

/** Pointer distance within which an edge snaps, in screen pixels (zoom-independent feel). */
export const SNAP_PX = 8;

export type SnapTarget = { time: number; kind: rules.SnapTarget['kind'] };
export type Snapped = { time: number; target: SnapTarget | null };

const toMicros = (targets: readonly SnapTarget[]): rules.SnapTarget[] => targets.map((t) => ({ time: secondsToMicros(t.time), kind: t.kind }));
const toSeconds = (snapped: rules.Snapped): Snapped => ({
  time: microsToSeconds(snapped.time),
  target: snapped.target ? { time: microsToSeconds(snapped.target.time), kind: snapped.target.kind } : null,
});

/** Where edges may snap (seconds): the playhead, the timeline start, other clips' edges, markers (TL78). */
export function snapTargets({ snapshot, playhead, exclude = [] }: { snapshot: TimelineSnapshot; playhead: number; exclude?: Iterable<string> }): SnapTarget[] {
  return rules.snapTargets({ view: rules.editView(snapshot), playhead: secondsToMicros(playhead), exclude }).map((t) => ({ time: microsToSeconds(t.time), kind: t.kind }));
}

/** The nearest target within `thresholdSeconds` of `time`, else `time` itself (TL78). */
export function snapTime({ time, targets, thresholdSeconds }: { time: number; targets: readonly SnapTarget[]; thresholdSeconds: number }): Snapped {
  const snapped = rules.snapTime({ time: secondsToMicros(time), targets: toMicros(targets), threshold: secondsToMicros(thresholdSeconds) });
  return snapped.target ? toSeconds(snapped) : { time, target: null };
}

/** A moving span snaps by its nearer edge and keeps its length; returns the new start (TL78). */
export function snapSpan({ start, duration, targets, thresholdSeconds }: { start: number; duration: number; targets: readonly SnapTarget[]; thresholdSeconds: number }): Snapped {
  const snapped = rules.snapSpan({ start: secondsToMicros(start), duration: secondsToMicros(duration), targets: toMicros(targets), threshold: secondsToMicros(thresholdSeconds) });
  return snapped.target ? toSeconds(snapped) : { time: Math.max(0, start), target: null };
}
