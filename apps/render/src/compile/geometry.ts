// Where a layer lands on the canvas: the numbers come from @cutline/timeline/layout
// (TL70, TL71), shared with the browser preview; this file adds only what FFmpeg needs
// (crop to the visible part, whole pixels, even crops). compile.ts turns them into
// crop/scale/rotate/overlay options.

import { fitInside, placeLayer as layoutPlacement, type Placement as LayoutPlacement } from '@cutline/timeline/layout';

export { fitInside };

export type Size = { readonly width: number; readonly height: number };

export type Placement = {
  /** Source pixels to keep (even-aligned for 4:2:0 chroma), or null for the whole source. */
  readonly crop: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } | null;
  /** Size after scaling, before rotation, in canvas pixels. */
  readonly width: number;
  readonly height: number;
  /** Radians clockwise; 0 when the layer is not rotated. */
  readonly rotation: number;
  /** Bounding box after rotation (the rotate filter's output). */
  readonly boxWidth: number;
  readonly boxHeight: number;
  /** Top-left of the box on the canvas. */
  readonly x: number;
  readonly y: number;
};

/**
 * Places a layer of `natural` size (canvas pixels at scale 1) that comes from a source of
 * `source` pixels: the layout module's placement (TL71), then what FFmpeg needs around it.
 */
export function placeLayer({
  canvas,
  source,
  natural,
  x,
  y,
  scale,
  rotation,
}: {
  canvas: Size;
  source: Size;
  natural: Size;
  x: number;
  y: number;
  scale: number;
  rotation: number;
}): Placement | null {
  return encodePlacement({ canvas, source, placement: layoutPlacement({ size: natural, frame: canvas, transform: { x, y, scale, rotation } }) });
}

/**
 * Turns a placement (TL71) into FFmpeg's terms: only the part of the source that can be
 * on the canvas is kept (a 1080p video at scale 100 would otherwise be scaled to 192,000
 * pixels wide), sizes and positions in whole pixels, crops on even source pixels. Returns
 * null when nothing of the layer is on the canvas.
 */
export function encodePlacement({ canvas, source, placement }: { canvas: Size; source: Size; placement: LayoutPlacement }): Placement | null {
  const { width: w, height: h, centerX: cx, centerY: cy, rotation: theta } = placement;
  if (w <= 0 || h <= 0) return null;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);

  // The canvas rectangle seen from the layer's own (unrotated) axes, centred on the layer.
  const corners: [number, number][] = [
    [-cx, -cy],
    [canvas.width - cx, -cy],
    [canvas.width - cx, canvas.height - cy],
    [-cx, canvas.height - cy],
  ];
  let ux0 = Infinity;
  let ux1 = -Infinity;
  let uy0 = Infinity;
  let uy1 = -Infinity;
  for (const [px, py] of corners) {
    // Inverse of a clockwise rotation on a y-down screen.
    const lx = px * cos + py * sin;
    const ly = -px * sin + py * cos;
    ux0 = Math.min(ux0, lx);
    ux1 = Math.max(ux1, lx);
    uy0 = Math.min(uy0, ly);
    uy1 = Math.max(uy1, ly);
  }
  // Visible part of the layer in layer coordinates, in source pixels.
  const perSource = w / source.width;
  const toSourceX = (lx: number) => (lx + w / 2) / perSource;
  const toSourceY = (ly: number) => (ly + h / 2) / (h / source.height);
  // Two source pixels of margin keep the scaler's filter taps inside the picture.
  let sx0 = Math.max(0, Math.floor(toSourceX(ux0)) - 2);
  let sx1 = Math.min(source.width, Math.ceil(toSourceX(ux1)) + 2);
  let sy0 = Math.max(0, Math.floor(toSourceY(uy0)) - 2);
  let sy1 = Math.min(source.height, Math.ceil(toSourceY(uy1)) + 2);
  if (sx1 <= sx0 || sy1 <= sy0) return null;
  // Whole picture visible: no crop (the common case; also keeps the graph simple).
  const whole = sx0 === 0 && sy0 === 0 && sx1 === source.width && sy1 === source.height;
  let crop: Placement['crop'] = null;
  if (!whole) {
    // 4:2:0 sources crop on even pixels, or chroma shifts by half a pixel.
    sx0 -= sx0 % 2;
    sy0 -= sy0 % 2;
    sx1 = Math.min(source.width, sx1 + (sx1 % 2));
    sy1 = Math.min(source.height, sy1 + (sy1 % 2));
    crop = { x: sx0, y: sy0, width: sx1 - sx0, height: sy1 - sy0 };
  }
  const perSourceY = h / source.height;
  const width = Math.max(1, Math.round((sx1 - sx0) * perSource));
  const height = Math.max(1, Math.round((sy1 - sy0) * perSourceY));
  // Centre of the kept part, relative to the layer centre, rotated onto the canvas.
  const lcx = (sx0 + sx1) / 2 * perSource - w / 2;
  const lcy = (sy0 + sy1) / 2 * perSourceY - h / 2;
  const ccx = cx + lcx * cos - lcy * sin;
  const ccy = cy + lcx * sin + lcy * cos;
  // The epsilon keeps cos(90°) = 6e-17 from adding a whole pixel.
  const boxWidth = theta === 0 ? width : Math.ceil(Math.abs(width * cos) + Math.abs(height * sin) - 1e-6);
  const boxHeight = theta === 0 ? height : Math.ceil(Math.abs(width * sin) + Math.abs(height * cos) - 1e-6);
  return {
    crop,
    width,
    height,
    rotation: theta,
    boxWidth,
    boxHeight,
    x: Math.round(ccx - boxWidth / 2),
    y: Math.round(ccy - boxHeight / 2),
  };
}

/** x264 and 4:2:0 need even sizes: round to the nearest even number, at least 2. */
export function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}
