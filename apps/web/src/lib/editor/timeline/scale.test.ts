import { describe, expect, it } from 'vitest';
import { ZOOM, clampZoom, fitZoom, rulerTicks, viewportXToTime, wheelZoomFactor, zoomAt } from './scale.ts';

const fps30 = { num: 30, den: 1 };

describe('timeline scale', () => {
  it('maps viewport pixels to time with scroll', () => {
    expect(viewportXToTime(100, { pxPerSecond: 50, scrollLeft: 400 })).toBe(10);
    expect(viewportXToTime(-500, { pxPerSecond: 50, scrollLeft: 0 })).toBe(0);
  });

  it('zooms around an anchor: the time under the pointer stays put', () => {
    const view = { pxPerSecond: 100, scrollLeft: 250 };
    const anchorX = 300;
    const before = viewportXToTime(anchorX, view);
    const after = zoomAt({ view, factor: 2, anchorX });
    expect(after.pxPerSecond).toBe(200);
    expect(viewportXToTime(anchorX, after)).toBeCloseTo(before, 9);
  });

  it('clamps zoom and never scrolls before 0', () => {
    expect(clampZoom(1e9)).toBe(ZOOM.maxPxPerSecond);
    expect(clampZoom(0)).toBe(ZOOM.minPxPerSecond);
    expect(zoomAt({ view: { pxPerSecond: 100, scrollLeft: 0 }, factor: 0.5, anchorX: 0 }).scrollLeft).toBe(0);
  });

  it('turns a wheel notch into one zoom step', () => {
    expect(wheelZoomFactor(-100)).toBeCloseTo(ZOOM.step);
    expect(wheelZoomFactor(100)).toBeCloseTo(1 / ZOOM.step);
  });

  it('fits a duration into a width', () => {
    expect(fitZoom(10, 1000)).toBeCloseTo(92);
    expect(fitZoom(0, 1000)).toBe(ZOOM.initialPxPerSecond);
  });

  it('picks ruler intervals that leave room for labels', () => {
    const coarse = rulerTicks({ from: 0, to: 600, pxPerSecond: 2, fps: fps30 });
    expect(coarse.interval * 2).toBeGreaterThanOrEqual(90);
    expect(coarse.interval).toBe(60);
    const fine = rulerTicks({ from: 0, to: 1, pxPerSecond: 1500, fps: fps30 });
    expect(fine.withFrames).toBe(true);
    expect(fine.interval).toBeCloseTo(2 / 30);
    const normal = rulerTicks({ from: 10, to: 20, pxPerSecond: 100, fps: fps30 });
    expect(normal.interval).toBe(1);
    expect(normal.major).toContain(10);
    expect(normal.major).toContain(20);
    expect(normal.minor.every((t) => t >= 10 && t <= 20)).toBe(true);
  });
});
