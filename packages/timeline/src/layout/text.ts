// How a text clip is laid out (TL72–TL74). The preview measures with a canvas and the
// render with the TTF files' own metrics; both load the same fonts from
// @cutline/shared/fonts, and both hand their measurer to this one layout.

import type { SnapshotTextStyle } from '../snapshot.ts';

/** Line height as a multiple of the font size (TL73). */
export const LINE_HEIGHT = 1.2;

export type FontMetrics = { readonly ascent: number; readonly descent: number };

export type TextMeasurer = {
  /** The font's ascent and descent (hhea box, not particular glyphs) at `size` px, both ≥ 0. */
  metrics(family: SnapshotTextStyle['fontFamily'], size: number): FontMetrics;
  /** Advance width of `line` at `size` px: the sum of its glyphs' advances, no kerning. */
  width(line: string, family: SnapshotTextStyle['fontFamily'], size: number): number;
};

export type TextLine = {
  readonly text: string;
  /** Pen position of the first glyph and the baseline, relative to the block's top-left. */
  readonly x: number;
  readonly baseline: number;
  readonly width: number;
};

export type TextBlock = {
  /** Whole-pixel font size the block is laid out at. */
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly lineHeight: number;
  readonly lines: readonly TextLine[];
  /** The background box relative to the block's top-left, or null without a background. */
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly color: string } | null;
};

/** Lines split at \n, \r\n and \r; NUL shows as U+FFFD (it would end drawtext's string early) (TL72). */
export function splitLines(text: string): string[] {
  return text.replace(/\0/g, '\uFFFD').split(/\r\n|\r|\n/);
}

/** style.fontSize × scale rounded to whole pixels, at least 1: FreeType sizes glyphs in whole pixels (TL72). */
export function textPixelSize(fontSize: number, scale: number): number {
  return Math.max(1, Math.round(fontSize * scale));
}

/**
 * Lays out `text` at `scale` output pixels per project pixel (clip scale × output scale)
 * (TL72–TL74). `size` and `padding` override the scaled values (the render shrinks a block
 * that would not fit its largest text canvas).
 */
export function layoutText({
  text,
  style,
  scale,
  measure,
  size: sizeOverride,
  padding: paddingOverride,
}: {
  text: string;
  style: SnapshotTextStyle;
  scale: number;
  measure: TextMeasurer;
  size?: number;
  padding?: number;
}): TextBlock {
  const size = sizeOverride ?? textPixelSize(style.fontSize, scale);
  const { ascent, descent } = measure.metrics(style.fontFamily, size);
  const lineHeight = LINE_HEIGHT * size;
  const raw = splitLines(text);
  const widths = raw.map((line) => (line.length === 0 ? 0 : measure.width(line, style.fontFamily, size)));
  const width = Math.max(0, ...widths);
  const height = raw.length * lineHeight;
  // CSS half-leading: the ascender–descender box is centred in each line box.
  const firstBaseline = (lineHeight - (ascent + descent)) / 2 + ascent;
  const lines = raw.map((line, i) => {
    const w = widths[i] ?? 0;
    const x = style.align === 'left' ? 0 : style.align === 'right' ? width - w : (width - w) / 2;
    return { text: line, x, baseline: firstBaseline + i * lineHeight, width: w };
  });
  const pad = paddingOverride ?? (style.background ? style.background.padding * scale : 0);
  const box = style.background ? { x: -pad, y: -pad, width: width + 2 * pad, height: height + 2 * pad, color: style.background.color } : null;
  return { size, width, height, lineHeight, lines, box };
}
