// How a text clip is laid out — the contract the browser preview must follow to match the
// render (it loads the same TTF files from @cutline/shared/fonts):
//
// - size = style.fontSize × clip scale (× the preset's fit factor), rounded to whole pixels.
// - Lines split at \n, \r\n and \r; each line is one run of glyphs, no wrapping.
// - Line width = sum of the glyphs' advance widths (hmtx), no kerning: FFmpeg 4.x drawtext
//   kerns only with the legacy `kern` table, which these fonts do not have (a canvas
//   preview sets `fontKerning = 'none'`).
// - Line height = 1.2 × size; the font's ascender–descender box is centred in each line box
//   (CSS half-leading); the block is lines × line height tall and as wide as its widest line.
// - The block's centre sits at the clip's (x, y); lines are aligned left/centre/right inside
//   the block; rotation turns the block about its centre.
// - A background box covers the block plus `padding` × scale on every side.

import type { SnapshotTextStyle } from '@cutline/timeline';

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

export const LINE_HEIGHT = 1.2;
/** Glyphs may reach past the ascender/descender and advance box (accents, italics, swashes). */
const OVERHANG = 0.5;
/** A text canvas is never larger than this on a side: beyond it the text is off-frame anyway. */
export const MAX_TEXT_CANVAS = 8192;

export function splitLines(text: string): string[] {
  // NUL would end drawtext's string early; show it as a replacement character instead.
  return text.replace(/\0/g, '\uFFFD').split(/\r\n|\r|\n/);
}

function lineWidth(metrics: TextMetrics, line: string, size: number): number {
  let units = 0;
  // drawtext moves a tab to the next multiple of 4 spaces; measured as 4 spaces here.
  for (const char of line) units += char === '\t' ? 4 * metrics.advance(32) : metrics.advance(char.codePointAt(0) ?? 0);
  return (units * size) / metrics.unitsPerEm;
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
  const lines = splitLines(text);
  // FreeType sizes glyphs in whole pixels (drawtext calls FT_Set_Pixel_Sizes with an
  // integer), so the layout uses the same whole-pixel size.
  let size = Math.max(1, Math.round(style.fontSize * scale));
  let padding = style.background ? style.background.padding * scale : 0;
  const measure = (s: number) => lines.map((line) => lineWidth(metrics, line, s));
  let widths = measure(size);
  const extent = (s: number, p: number, ws: number[]) => {
    const blockWidth = Math.max(1, ...ws);
    const blockHeight = lines.length * LINE_HEIGHT * s;
    const margin = Math.ceil(OVERHANG * s) + 2;
    return { blockWidth, blockHeight, margin, width: Math.ceil(blockWidth + 2 * p + 2 * margin), height: Math.ceil(blockHeight + 2 * p + 2 * margin) };
  };
  let e = extent(size, padding, widths);
  const tooBig = Math.max(e.width, e.height) / MAX_TEXT_CANVAS;
  if (tooBig > 1) {
    size = Math.max(1, Math.floor(size / tooBig));
    padding /= tooBig;
    widths = measure(size);
    e = extent(size, padding, widths);
  }
  // Even canvas sides keep 4:2:0 chroma aligned when the layer is converted and overlaid.
  const width = e.width + (e.width % 2);
  const height = e.height + (e.height % 2);
  const left = (width - e.blockWidth) / 2;
  const top = (height - e.blockHeight) / 2;
  const ascent = (metrics.ascender * size) / metrics.unitsPerEm;
  const descent = (-metrics.descender * size) / metrics.unitsPerEm;
  const lineHeight = LINE_HEIGHT * size;
  const firstBaseline = top + (lineHeight - (ascent + descent)) / 2 + ascent;
  const laid: TextLine[] = lines.map((line, i) => {
    const w = widths[i] ?? 0;
    const x = style.align === 'left' ? left : style.align === 'right' ? left + e.blockWidth - w : left + (e.blockWidth - w) / 2;
    return { text: line, x, baseline: firstBaseline + i * lineHeight, width: w };
  });
  return {
    width,
    height,
    size,
    lines: laid,
    box: style.background ? { x: left - padding, y: top - padding, width: e.blockWidth + 2 * padding, height: e.blockHeight + 2 * padding } : null,
  };
}
