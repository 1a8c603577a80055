import { describe, expect, it } from 'vitest';
import { placeLayer, placeMedia } from '@cutline/timeline/layout';
import { applyMatrix, placementMatrix, previewCanvasSize, unscaledMatrix, wipeRect } from './compose-math.ts';

const frame = { width: 1920, height: 1080 };
const identity = { x: 0.5, y: 0.5, scale: 1, rotation: 0 };

describe('layer placement on the preview canvas (TL71 numbers from @cutline/timeline/layout)', () => {
  it('maps the layer corners onto the canvas, rotating clockwise', () => {
    const p = placeMedia({ content: { width: 100, height: 100 }, frame: { width: 200, height: 100 }, transform: { ...identity, rotation: 90 } });
    // A 100×100 square fitted into 200×100 stays 100×100, centred at (100, 50).
    const m = placementMatrix(p, 100, 100, 0.5);
    // Top-left corner (−50, −50) turns clockwise to the top-right: (+50, −50) around the centre.
    const corner = applyMatrix(m, -50, -50);
    expect(corner.x).toBeCloseTo((100 + 50) * 0.5);
    expect(corner.y).toBeCloseTo((50 - 50) * 0.5);
    const centre = applyMatrix(m, 0, 0);
    expect(centre).toEqual({ x: 50, y: 25 });
  });

  it('draws content given in its own pixel units at the placed size', () => {
    const p = placeMedia({ content: { width: 1280, height: 720 }, frame, transform: identity });
    const m = placementMatrix(p, 1280, 720, 1280 / 1920);
    const bottomRight = applyMatrix(m, 640, 360);
    expect(bottomRight.x).toBeCloseTo(1280);
    expect(bottomRight.y).toBeCloseTo(720);
  });

  it('[TL71] draws text laid out in output pixels unscaled, rotated about the placed centre', () => {
    const p = placeLayer({ size: { width: 300, height: 60 }, frame, transform: { x: 0.25, y: 0.5, scale: 3, rotation: -90 } });
    const m = unscaledMatrix(p, 0.5);
    expect(applyMatrix(m, 0, 0)).toEqual({ x: 240, y: 270 });
    // −90° is a quarter turn anticlockwise: the block's right end points up.
    const right = applyMatrix(m, 150, 0);
    expect(right.x).toBeCloseTo(240);
    expect(right.y).toBeCloseTo(270 - 150);
  });

  it('[TL33] reveals a wipe from the left over progress of the frame', () => {
    expect(wipeRect(0.25, { width: 640, height: 360 })).toEqual({ x: 0, y: 0, width: 160, height: 360 });
    expect(wipeRect(2, { width: 640, height: 360 }).width).toBe(640);
  });

  it('sizes the preview canvas to the box, never above the project size', () => {
    expect(previewCanvasSize({ project: frame, box: { width: 640, height: 480 }, pixelRatio: 1 })).toEqual({ width: 640, height: 360 });
    expect(previewCanvasSize({ project: { width: 640, height: 360 }, box: { width: 1600, height: 900 }, pixelRatio: 2 })).toEqual({ width: 640, height: 360 });
  });
});
