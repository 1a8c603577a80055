import type { LayerTransform } from '@cutline/timeline';

/**
 * Where a layer lands in the frame — the rules the FFmpeg render uses too (DESIGN.md §5,
 * SPEC TL14/TL30): media is first fitted inside the frame keeping its aspect ratio
 * (`scale` 1 = fitted), then scaled by `scale` about its centre, rotated clockwise by
 * `rotation` degrees about its centre, and centred at (x·width, y·height) of the frame.
 * Everything is in project pixels; `outputScale` maps them onto a smaller preview canvas.
 */

export type Size = { width: number; height: number };

/** `content` fitted inside `frame`, aspect kept. */
export function fitInside(content: Size, frame: Size): Size {
  if (content.width <= 0 || content.height <= 0) return { width: 0, height: 0 };
  const k = Math.min(frame.width / content.width, frame.height / content.height);
  return { width: content.width * k, height: content.height * k };
}

export type Placement = {
  /** Size of the drawn layer, project px. */
  width: number;
  height: number;
  /** Centre, project px. */
  centerX: number;
  centerY: number;
  /** Radians, clockwise on screen (canvas y points down). */
  rotation: number;
};

/** Media (video, image, colour): fitted, then scaled. */
export function mediaPlacement({ content, frame, transform }: { content: Size; frame: Size; transform: LayerTransform }): Placement {
  const fitted = fitInside(content, frame);
  return {
    width: fitted.width * transform.scale,
    height: fitted.height * transform.scale,
    centerX: transform.x * frame.width,
    centerY: transform.y * frame.height,
    rotation: (transform.rotation * Math.PI) / 180,
  };
}

/** A 2D affine matrix in canvas `setTransform(a, b, c, d, e, f)` order. */
export type Matrix = readonly [number, number, number, number, number, number];

/**
 * The matrix that draws a layer given in its own units, centred on the origin
 * (x from −w/2 to w/2 where w = `unitsWidth`), at `placement` on a canvas that shows the
 * project frame at `outputScale` canvas px per project px.
 */
export function placementMatrix(placement: Placement, unitsWidth: number, unitsHeight: number, outputScale: number): Matrix {
  const sx = unitsWidth > 0 ? (placement.width / unitsWidth) * outputScale : 0;
  const sy = unitsHeight > 0 ? (placement.height / unitsHeight) * outputScale : 0;
  const cos = Math.cos(placement.rotation);
  const sin = Math.sin(placement.rotation);
  return [cos * sx, sin * sx, -sin * sy, cos * sy, placement.centerX * outputScale, placement.centerY * outputScale];
}

/** Applies a matrix to a point (for tests and hit-testing). */
export function applyMatrix(m: Matrix, x: number, y: number): { x: number; y: number } {
  return { x: m[0] * x + m[2] * y + m[4], y: m[1] * x + m[3] * y + m[5] };
}

/**
 * The wipe's reveal (TL33): the incoming clip shows over the frame's left `progress`
 * fraction, in canvas px. Whole canvas pixels, so the edge is as hard as the render's.
 */
export function wipeRect(progress: number, canvas: Size): { x: number; y: number; width: number; height: number } {
  const p = Math.min(1, Math.max(0, progress));
  return { x: 0, y: 0, width: Math.round(p * canvas.width), height: canvas.height };
}

/** `#rrggbb` or `#rrggbbaa` → CSS colour the canvas understands (it accepts both). */
export function cssColor(color: string): string {
  return /^#([0-9a-f]{6}|[0-9a-f]{8})$/i.test(color) ? color : '#000000';
}

/**
 * The preview canvas size for a project frame inside a box: aspect kept, never larger
 * than the project (there is nothing to gain), whole even pixels.
 */
export function previewCanvasSize({ project, box, pixelRatio }: { project: Size; box: Size; pixelRatio: number }): Size {
  const fitted = fitInside(project, { width: box.width * pixelRatio, height: box.height * pixelRatio });
  const k = Math.min(1, fitted.width / project.width);
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return { width: even(project.width * k), height: even(project.height * k) };
}
