import { audioSegmentGain, type AudioSegment } from '@cutline/timeline';

export type GainPoint = { time: number; gain: number };

/**
 * The gain curve of one audio segment between timeline seconds `from` and `to`, as
 * points to join with linear ramps on a Web Audio `GainNode` — the same numbers as
 * `audioSegmentGain` (TL35), which the render uses. Between breakpoints (fade and ramp
 * edges) each factor is linear; where two of them vary at once their product is
 * curved, so that stretch is subdivided.
 */
export function gainAutomation({ segment, from, to, pieces = 16 }: { segment: AudioSegment; from: number; to: number; pieces?: number }): GainPoint[] {
  const start = Math.max(from, segment.start);
  const end = Math.min(to, segment.end);
  if (end <= start) return [];
  const edges = new Set<number>([start, end]);
  const add = (t: number) => {
    if (t > start && t < end) edges.add(t);
  };
  if (segment.fadeIn > 0) add(segment.clipStart + segment.fadeIn);
  if (segment.fadeOut > 0) add(segment.clipEnd - segment.fadeOut);
  add(segment.clipStart);
  add(segment.clipEnd);
  for (const r of segment.ramps) {
    add(r.start);
    add(r.end);
  }
  const sorted = [...edges].sort((a, b) => a - b);
  // audioSegmentGain is 0 at `end` itself ([start, end)); the curve approaches its limit.
  const gainAt = (t: number) => audioSegmentGain(segment, Math.min(t, segment.end - 1e-9));
  const varying = (a: number, b: number) => {
    const mid = (a + b) / 2;
    let n = 0;
    if (segment.fadeIn > 0 && mid < segment.clipStart + segment.fadeIn) n++;
    if (segment.fadeOut > 0 && mid > segment.clipEnd - segment.fadeOut) n++;
    for (const r of segment.ramps) if (mid > r.start && mid < r.end) n++;
    return n;
  };
  const points: GainPoint[] = [];
  for (let i = 0; i < sorted.length - 1; i++) {
    const a = sorted[i] as number;
    const b = sorted[i + 1] as number;
    const steps = varying(a, b) >= 2 ? pieces : 1;
    for (let k = 0; k < steps; k++) {
      const t = a + ((b - a) * k) / steps;
      points.push({ time: t, gain: gainAt(t) });
    }
  }
  points.push({ time: end, gain: gainAt(end) });
  return points;
}

/** Linear interpolation through the points (what the GainNode will play). */
export function gainAtPoints(points: readonly GainPoint[], t: number): number {
  if (points.length === 0) return 0;
  const first = points[0] as GainPoint;
  if (t <= first.time) return first.gain;
  for (let i = 1; i < points.length; i++) {
    const b = points[i] as GainPoint;
    if (t <= b.time) {
      const a = points[i - 1] as GainPoint;
      return b.time === a.time ? b.gain : a.gain + ((b.gain - a.gain) * (t - a.time)) / (b.time - a.time);
    }
  }
  return (points[points.length - 1] as GainPoint).gain;
}
