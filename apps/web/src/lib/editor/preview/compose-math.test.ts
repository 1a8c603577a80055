import { describe, expect, it } from 'vitest';
import { placeLayer, placeMedia, placementCorners } from '@cutline/timeline/layout';
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

  it('[TL71] the preview matrix puts the content corners on the layout module\'s placed corners (random layers)', () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    for (let i = 0; i < 500; i++) {
      const content = { width: 1 + Math.floor(next() * 4000), height: 1 + Math.floor(next() * 4000) };
      const project = { width: 2 * (1 + Math.floor(next() * 1000)), height: 2 * (1 + Math.floor(next() * 1000)) };
      const transform = { x: next() * 3 - 1, y: next() * 3 - 1, scale: 0.01 + next() * 5, rotation: Math.round(next() * 1440 - 720) };
      const k = 0.1 + next();
      const p = placeMedia({ content, frame: project, transform });
      const m = placementMatrix(p, content.width, content.height, k);
      const corners = [
        [-content.width / 2, -content.height / 2],
        [content.width / 2, -content.height / 2],
        [content.width / 2, content.height / 2],
        [-content.width / 2, content.height / 2],
      ] as const;
      placementCorners(p).forEach(([x, y], c) => {
        const got = applyMatrix(m, corners[c]![0], corners[c]![1]);
        expect(got.x).toBeCloseTo(x * k, 6);
        expect(got.y).toBeCloseTo(y * k, 6);
      });
    }
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
