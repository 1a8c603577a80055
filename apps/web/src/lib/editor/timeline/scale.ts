import type { Rational } from '@cutline/timeline';

/**
 * The timeline's horizontal mapping: `x = t × pxPerSecond` in content pixels, and the
 * lane is scrolled by `scrollLeft`. Zoom is a factor per step so it feels the same at
 * every level; anchored zoom keeps the time under the pointer (or the playhead) still.
 */
export const ZOOM = {
  /** An hour in ~1,800 px. */
  minPxPerSecond: 0.5,
  /** Single frames are ~65 px wide at 30 fps. */
  maxPxPerSecond: 2000,
  step: 1.25,
  initialPxPerSecond: 60,
} as const;

export type View = { pxPerSecond: number; scrollLeft: number };

export const clampZoom = (pxPerSecond: number) => Math.min(ZOOM.maxPxPerSecond, Math.max(ZOOM.minPxPerSecond, pxPerSecond));

export const xToTime = (x: number, pxPerSecond: number) => Math.max(0, x / pxPerSecond);

/** Viewport x (relative to the lane's left edge) → timeline seconds. */
export const viewportXToTime = (x: number, view: View) => xToTime(x + view.scrollLeft, view.pxPerSecond);

/** New zoom keeping the time at viewport x `anchorX` where it is on screen. */
export function zoomAt({ view, factor, anchorX }: { view: View; factor: number; anchorX: number }): View {
  const pxPerSecond = clampZoom(view.pxPerSecond * factor);
  const anchorTime = (anchorX + view.scrollLeft) / view.pxPerSecond;
  return { pxPerSecond, scrollLeft: Math.max(0, anchorTime * pxPerSecond - anchorX) };
}

/** Ctrl+wheel: one notch (deltaY ≈ 100) is one zoom step; trackpads send small deltas. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.pow(ZOOM.step, -deltaY / 100);
}

/** Zoom that shows `duration` seconds in `width` px (with a little room at the end). */
export function fitZoom(duration: number, width: number): number {
  if (duration <= 0 || width <= 0) return ZOOM.initialPxPerSecond;
  return clampZoom((width * 0.92) / duration);
}

export type Ticks = { major: number[]; minor: number[]; interval: number; withFrames: boolean };

const NICE_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
const NICE_FRAMES = [1, 2, 5, 10];

/**
 * Ruler ticks between `from` and `to` seconds: major ticks (labelled) at least
 * `minLabelPx` apart on a "nice" interval (frames, then 1, 2, 5, 10, 15, 30 s, minutes…),
 * minor ticks subdividing it. Frame-based intervals land exactly on frame boundaries.
 */
export function rulerTicks({ from, to, pxPerSecond, fps, minLabelPx = 90 }: { from: number; to: number; pxPerSecond: number; fps: Rational; minLabelPx?: number }): Ticks {
  const frame = fps.den / fps.num;
  const nominal = Math.round(fps.num / fps.den);
  const candidates: { interval: number; withFrames: boolean; minorDiv: number }[] = [
    ...NICE_FRAMES.filter((n) => n < nominal).map((n) => ({ interval: n * frame, withFrames: true, minorDiv: n })),
    ...NICE_SECONDS.map((s) => ({ interval: s, withFrames: false, minorDiv: s === 1 ? Math.min(nominal, 10) : s % 5 === 0 && s < 60 ? 5 : s === 15 ? 3 : s >= 60 && (s / 60) % 5 === 0 ? 5 : 2 })),
  ];
  const chosen = candidates.find((c) => c.interval * pxPerSecond >= minLabelPx) ?? (candidates[candidates.length - 1] as (typeof candidates)[number]);
  const { interval, withFrames } = chosen;
  // Minor ticks closer than 8 px would be a grey smear; leave them out.
  const minorDiv = (interval / chosen.minorDiv) * pxPerSecond >= 8 ? chosen.minorDiv : 1;
  const major: number[] = [];
  const minor: number[] = [];
  const first = Math.max(0, Math.floor(from / interval));
  const last = Math.ceil(to / interval);
  for (let i = first; i <= last; i++) {
    const t = i * interval;
    if (t >= from - interval && t <= to + interval) major.push(t);
    for (let j = 1; j < minorDiv; j++) minor.push(t + (j * interval) / minorDiv);
  }
  return { major, minor: minor.filter((t) => t >= from && t <= to), interval, withFrames };
}
