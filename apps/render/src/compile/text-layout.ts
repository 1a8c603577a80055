// How a text clip is laid out: the block (size, lines, alignment, box) comes from
// @cutline/timeline/layout (TL72–TL74), the same function the browser preview calls;
// the render measures with the TTF files' own metrics (hmtx advances, hhea box) and adds
// the transparent canvas FFmpeg draws the block on (glyph overhang, even sides, a
// largest side).
//
// Line width = sum of the glyphs' advance widths, no kerning: FFmpeg 4.x drawtext kerns
// only with the legacy `kern` table, which these fonts do not have (a canvas preview sets
// `fontKerning = 'none'`).

import type { SnapshotTextStyle } from '@cutline/timeline';
import { layoutText as layoutBlock, splitLines, type TextMeasurer } from '@cutline/timeline/layout';

export { splitLines };

export type TextMetrics = {
  readonly unitsPerEm: number;
  readonly ascender: number;
  readonly descender: number;
  advance(codePoint: number): number;
};

export type TextLine = {
  readonly text: string;
  /** Pen position of the line's first glyph and its baseline, in canvas pixels. */
  readonly x: number;
  readonly baseline: number;
  readonly width: number;
};

export type TextLayout = {
  /** The transparent canvas the text is drawn on; its centre is the block's centre. */
  readonly width: number;
  readonly height: number;
  readonly size: number;
  readonly lines: readonly TextLine[];
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } | null;
};

/** Glyphs may reach past the ascender/descender and advance box (accents, italics, swashes). */
const OVERHANG = 0.5;
/** A text canvas is never larger than this on a side: beyond it the text is off-frame anyway. */
export const MAX_TEXT_CANVAS = 8192;

function lineWidth(metrics: TextMetrics, line: string, size: number): number {
  let units = 0;
  // drawtext moves a tab to the next multiple of 4 spaces; measured as 4 spaces here.
  for (const char of line) units += char === '\t' ? 4 * metrics.advance(32) : metrics.advance(char.codePointAt(0) ?? 0);
  return (units * size) / metrics.unitsPerEm;
}

/** The layout module's measurer over one font's TTF metrics. */
export function ttfMeasurer(metrics: TextMetrics): TextMeasurer {
  return {
    metrics: (_family, size) => ({ ascent: (metrics.ascender * size) / metrics.unitsPerEm, descent: (-metrics.descender * size) / metrics.unitsPerEm }),
    width: (line, _family, size) => lineWidth(metrics, line, size),
  };
}

export function layoutText({
  text,
  style,
  scale,
  metrics,
}: {
  text: string;
  style: SnapshotTextStyle;
  /** clip scale × canvas fit factor. */
  scale: number;
  metrics: TextMetrics;
}): TextLayout {
  const measure = ttfMeasurer(metrics);
  let block = layoutBlock({ text, style, scale, measure });
  const extent = (b: typeof block) => {
    const margin = Math.ceil(OVERHANG * b.size) + 2;
    const pad = b.box ? -b.box.x : 0;
    return { width: Math.ceil(Math.max(1, b.width) + 2 * pad + 2 * margin), height: Math.ceil(b.height + 2 * pad + 2 * margin) };
  };
  let e = extent(block);
  const tooBig = Math.max(e.width, e.height) / MAX_TEXT_CANVAS;
  if (tooBig > 1) {
    const padding = block.box ? -block.box.x / tooBig : 0;
    block = layoutBlock({ text, style, scale, measure, size: Math.max(1, Math.floor(block.size / tooBig)), padding });
    e = extent(block);
  }
  // Even canvas sides keep 4:2:0 chroma aligned when the layer is converted and overlaid.
  const width = e.width + (e.width % 2);
  const height = e.height + (e.height % 2);
  const left = (width - block.width) / 2;
  const top = (height - block.height) / 2;
  return {
    width,
    height,
    size: block.size,
    lines: block.lines.map((line) => ({ text: line.text, x: left + line.x, baseline: top + line.baseline, width: line.width })),
    box: block.box ? { x: left + block.box.x, y: top + block.box.y, width: block.box.width, height: block.box.height } : null,
  };
}
