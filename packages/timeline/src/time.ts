// Time inside the model is an integer number of microseconds (TL20). Frame rates are
// rationals so that NTSC rates (24000/1001, 30000/1001) are exact. The public command
// vocabulary speaks seconds; these helpers turn seconds into grid-aligned microseconds.

export interface Rational {
  readonly num: number;
  readonly den: number;
}

export const MICROS_PER_SECOND = 1_000_000;
/** Longest timeline the model accepts: 24 hours (TL21). */
export const MAX_TIME_US = 24 * 3600 * MICROS_PER_SECOND;

const MICROS = BigInt(MICROS_PER_SECOND);

/** Seconds (a JS number) to the nearest whole microsecond. */
export function secondsToMicros(seconds: number): number {
  return Math.round(seconds * MICROS_PER_SECOND);
}

export function microsToSeconds(us: number): number {
  return us / MICROS_PER_SECOND;
}

/**
 * Start of frame `k` in microseconds: k·den/num seconds rounded to the nearest
 * microsecond, halves rounded up (TL22). BigInt keeps it exact: k·den·10⁶ overflows 2⁵³
 * for long timelines at high rates.
 */
export function frameStartMicros(k: number, fps: Rational): number {
  const num = BigInt(fps.num);
  const numer = 2n * BigInt(k) * BigInt(fps.den) * MICROS + num;
  return Number(numer / (2n * num));
}

/**
 * Index of the frame boundary nearest to `us` (halves round up). `us` must be ≥ 0.
 * Total over numbers: BigInt() throws RangeError on fractions and on ±Infinity (what
 * `seconds * 1e6` becomes past 1.8e302 s), so `us` is rounded first and a non-finite `us`
 * gives a non-finite index that every range check downstream refuses.
 */
export function nearestFrameIndex(us: number, fps: Rational): number {
  if (!Number.isFinite(us)) return us;
  const den = BigInt(fps.den) * MICROS;
  return Number((2n * BigInt(Math.round(us)) * BigInt(fps.num) + den) / (2n * den));
}

/** Index of the frame that contains `us` (the last frame starting at or before it). */
export function frameIndexAt(us: number, fps: Rational): number {
  let k = Math.floor((us * fps.num) / (fps.den * MICROS_PER_SECOND));
  while (k > 0 && frameStartMicros(k, fps) > us) k--;
  while (frameStartMicros(k + 1, fps) <= us) k++;
  return k;
}

/**
 * Snap a point in time to the nearest frame boundary (TL22). Idempotent: a snapped value
 * lies within 0.5 µs of its exact boundary, and frames are ≥ 4,166 µs apart (≤ 240 fps).
 */
export function snapPointMicros(us: number, fps: Rational): number {
  return frameStartMicros(nearestFrameIndex(us, fps), fps);
}

/** Snap a length (fade, transition) to a whole number of frames, measured from zero. */
export function snapLengthMicros(us: number, fps: Rational): number {
  return snapPointMicros(us, fps);
}

/** Seconds → snapped microseconds; the single entry point for public time values. */
export function snapSeconds(seconds: number, fps: Rational): number {
  return snapPointMicros(secondsToMicros(seconds), fps);
}

/** Start of frame `k` in seconds, on the same grid as the model (TL22). */
export function frameTimeSeconds(k: number, fps: Rational): number {
  return microsToSeconds(frameStartMicros(k, fps));
}
