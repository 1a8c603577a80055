// Where a layer lands in the frame (TL70, TL71). The WebCodecs preview and the FFmpeg
// render both place layers with these numbers; what each adds around them (a canvas
// matrix; crop, whole-pixel sizes and even positions for FFmpeg) stays with the caller.

import type { LayerTransform } from '../evaluate.ts';

export type Size = { readonly width: number; readonly height: number };

/** The largest size of `content`'s aspect that fits inside `frame` (TL70; `factor` = frame px per content px). */
export function fitInside(content: Size, frame: Size): { width: number; height: number; factor: number } {
  if (!(content.width > 0) || !(content.height > 0)) return { width: 0, height: 0, factor: 0 };
  const factor = Math.min(frame.width / content.width, frame.height / content.height);
  return { width: content.width * factor, height: content.height * factor, factor };
}

export type Placement = {
  /** Size of the drawn layer after scaling, before rotation, in frame pixels. */
  readonly width: number;
  readonly height: number;
  /** The layer's centre, frame pixels. */
  readonly centerX: number;
  readonly centerY: number;
  /** Radians clockwise on a y-down screen, in [0, 2π); exactly 0 for whole turns. */
  readonly rotation: number;
};

/**
 * Degrees clockwise → radians in [0, 2π). Whole turns give exactly 0, so a caller can
 * skip rotating (the render leaves the rotate filter out) and cos/sin are exact.
 */
export function rotationRadians(degrees: number): number {
  const turns = (((degrees % 360) + 360) % 360) / 360;
  return turns === 0 ? 0 : turns * 2 * Math.PI;
}

/**
 * A layer whose size at scale 1 is `size` (frame pixels), scaled by `transform.scale`
 * about its centre, rotated about its centre and centred at (x·width, y·height) (TL71).
 */
export function placeLayer({ size, frame, transform }: { size: Size; frame: Size; transform: LayerTransform }): Placement {
  return {
    width: size.width * transform.scale,
    height: size.height * transform.scale,
    centerX: transform.x * frame.width,
    centerY: transform.y * frame.height,
    rotation: rotationRadians(transform.rotation),
  };
}

/** Video, image (and the frame-sized colour layer): fitted inside the frame first, then placed (TL70, TL71). */
export function placeMedia({ content, frame, transform }: { content: Size; frame: Size; transform: LayerTransform }): Placement {
  return placeLayer({ size: fitInside(content, frame), frame, transform });
}

/** The placed layer's four corners (top-left, top-right, bottom-right, bottom-left), frame pixels. */
export function placementCorners(p: Placement): [number, number][] {
  const cos = Math.cos(p.rotation);
  const sin = Math.sin(p.rotation);
  const half: [number, number][] = [
    [-p.width / 2, -p.height / 2],
    [p.width / 2, -p.height / 2],
    [p.width / 2, p.height / 2],
    [-p.width / 2, p.height / 2],
  ];
  return half.map(([x, y]) => [p.centerX + x * cos - y * sin, p.centerY + x * sin + y * cos]);
}
