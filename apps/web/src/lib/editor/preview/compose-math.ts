import { fitInside, type Placement, type Size } from '@cutline/timeline/layout';

/**
 * What the canvas preview adds around the layout module's placement (TL70, TL71: media
 * fitted, scaled, rotated about its centre, centred at (x·width, y·height) — the numbers
 * the FFmpeg render uses too): the canvas matrix that draws a layer there. Placements are
 * in project pixels; `outputScale` maps them onto a smaller preview canvas.
 */

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

/**
 * The matrix that draws content already at its placed size (text laid out in output
 * pixels), centred on the origin: rotation about the centre, then the centre.
 */
export function unscaledMatrix(placement: Placement, outputScale: number): Matrix {
  const cos = Math.cos(placement.rotation);
  const sin = Math.sin(placement.rotation);
  return [cos, sin, -sin, cos, placement.centerX * outputScale, placement.centerY * outputScale];
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
