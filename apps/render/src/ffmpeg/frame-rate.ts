import { fromNumber, toNumber, type Rational } from './rational.ts';

/** Frame rates cameras and editors use; measured rates near one of these snap to it. */
export const STANDARD_RATES: readonly Rational[] = [
  { num: 24000, den: 1001 },
  { num: 24, den: 1 },
  { num: 25, den: 1 },
  { num: 30000, den: 1001 },
  { num: 30, den: 1 },
  { num: 48, den: 1 },
  { num: 50, den: 1 },
  { num: 60000, den: 1001 },
  { num: 60, den: 1 },
  { num: 100, den: 1 },
  { num: 120000, den: 1001 },
  { num: 120, den: 1 },
  { num: 240, den: 1 },
];

/** The timeline accepts 1–240 fps (packages/timeline RANGES.fpsValue). */
export const MIN_FPS = 1;
export const MAX_FPS = 240;

function snap(rate: Rational, tolerance: number): Rational {
  const value = toNumber(rate);
  let best: Rational | null = null;
  let bestError = Number.POSITIVE_INFINITY;
  for (const standard of STANDARD_RATES) {
    const error = Math.abs(toNumber(standard) - value) / toNumber(standard);
    if (error < bestError) [best, bestError] = [standard, error];
  }
  if (best && bestError <= tolerance) return best;
  return fromNumber(Math.min(MAX_FPS, Math.max(MIN_FPS, value)));
}

const plausible = (rate: Rational | null): rate is Rational => rate !== null && toNumber(rate) >= MIN_FPS && toNumber(rate) <= MAX_FPS;

export type FrameRate = { fps: Rational; variable: boolean };

/**
 * The frame rate to edit in, from ffprobe's two rates: `avg_frame_rate` (frames ÷
 * duration) and `r_frame_rate` (the base rate every timestamp fits on). They agree for
 * constant-rate video. Phones record variable rate: avg is then a little below the
 * nominal rate (29.87 for "30 fps"), r is usually the nominal one, and sometimes a
 * container tick like 90000/1, which is not a frame rate at all. So: if the two agree,
 * use it; if they differ, prefer a plausible r (the grid the camera aimed at), else the
 * average snapped to the nearest standard rate. `null` when neither is usable (some
 * MediaRecorder WebMs): the caller measures packets instead.
 */
export function chooseFrameRate({ avg, real }: { avg: Rational | null; real: Rational | null }): FrameRate | null {
  const avgOk = plausible(avg);
  const realOk = plausible(real);
  if (avgOk && realOk) {
    const a = toNumber(avg);
    const r = toNumber(real);
    if (Math.abs(a - r) / r <= 0.002) return { fps: snap(real, 0.0005), variable: false };
    // A real rate below the average cannot be the timestamp grid; trust the average.
    if (r >= a) return { fps: snap(real, 0.0005), variable: true };
    return { fps: snap(avg, 0.01), variable: true };
  }
  if (realOk) return { fps: snap(real, 0.0005), variable: false };
  if (avgOk) return { fps: snap(avg, 0.01), variable: false };
  return null;
}

/** From a packet count over a duration: the last resort when ffprobe gives no rate. */
export function frameRateFromCount(frames: number, durationUs: number): FrameRate | null {
  if (frames < 2 || durationUs <= 0) return null;
  const measured = fromNumber((frames * 1_000_000) / durationUs);
  if (!plausible(measured)) return null;
  return { fps: snap(measured, 0.02), variable: true };
}
