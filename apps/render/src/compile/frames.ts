// The output frame grid. Frame k of the timeline starts at F(k) µs (TL22, frameStartMicros);
// the filter graph carries every video stream with timestamps in frames (time base den/num),
// so a frame's pts IS its absolute timeline frame index and FFmpeg never rounds a time.

import { frameStartMicros, type Rational } from '@cutline/timeline';

export type FrameRange = { readonly start: number; readonly end: number };

export const frameUs = (k: number, fps: Rational): number => frameStartMicros(k, fps);

/**
 * The first frame whose start time is at or after `us` (which may be a half µs: the
 * midpoint of a dip to black with an odd duration). Frames in [firstFrameAtOrAfter(a),
 * firstFrameAtOrAfter(b)) are exactly those evaluate() shows for a span [a, b).
 */
export function firstFrameAtOrAfter(us: number, fps: Rational): number {
  let k = Math.max(0, Math.floor((us * fps.num) / (fps.den * 1e6)) - 1);
  while (frameUs(k, fps) < us) k++;
  while (k > 0 && frameUs(k - 1, fps) >= us) k--;
  return k;
}

export function intersect(a: FrameRange, b: FrameRange): FrameRange | null {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return end > start ? { start, end } : null;
}

/** Seconds for a filter option, from µs: at most 6 decimals, never exponent notation. */
export function seconds(us: number): string {
  return formatNumber(us / 1e6);
}

/** A number for a filter option: up to 6 decimals, trailing zeros dropped, no exponent. */
export function formatNumber(value: number, decimals = 6): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}
