import type { SnapshotTextStyle } from '@cutline/timeline';

/**
 * Text layout, following the render's contract (apps/render/src/compile/text-layout.ts),
 * with the same TTF files (served at /fonts/<family>.ttf):
 * - the size is style.fontSize × clip scale × output scale, rounded to whole pixels (FreeType
 *   sizes glyphs in whole pixels); the layout happens at that size in output pixels;
 * - lines split at \n, \r\n, \r; no wrapping; a line is as wide as the sum of its glyphs'
 *   advances — no kerning (drawtext 4.x does not kern these fonts; the canvas sets
 *   `fontKerning = 'none'`);
 * - line height is 1.2 × size, the font's ascender–descender box centred in each line
 *   box; the block is lines × line height tall and as wide as its widest line;
 * - lines align left/centre/right in the block; the block's centre is the clip's (x, y)
 *   and rotation turns it about that centre;
 * - the background box is the block grown by padding × scale on every side.
 */
export const LINE_HEIGHT = 1.2;

export type FontMetrics = { ascent: number; descent: number };

export type TextMeasurer = {
  /** The font's ascent and descent (hhea box, not particular glyphs) at `size` px. */
  metrics(family: SnapshotTextStyle['fontFamily'], size: number): FontMetrics;
  /** Advance width of `line` at `size` px, without kerning. */
  width(line: string, family: SnapshotTextStyle['fontFamily'], size: number): number;
};

export type TextLine = { text: string; x: number; baseline: number; width: number };

export type TextBlock = {
  /** Whole-pixel font size the block is laid out at. */
  size: number;
  width: number;
  height: number;
  /** Positions relative to the block's top-left corner. */
  lines: TextLine[];
  box: { x: number; y: number; width: number; height: number; color: string } | null;
};

export function splitLines(text: string): string[] {
  // NUL would cut drawtext's string short; the render shows U+FFFD instead.
  return text.replace(/\0/g, '\uFFFD').split(/\r\n|\r|\n/);
}

/** Lays out `text` at `scale` output pixels per project pixel (clip scale × preview scale). */
export function layoutText({ text, style, scale, measure }: { text: string; style: SnapshotTextStyle; scale: number; measure: TextMeasurer }): TextBlock {
  const size = Math.max(1, Math.round(style.fontSize * scale));
  const { ascent, descent } = measure.metrics(style.fontFamily, size);
  const lineHeight = LINE_HEIGHT * size;
  const raw = splitLines(text);
  const widths = raw.map((line) => (line.length === 0 ? 0 : measure.width(line, style.fontFamily, size)));
  const width = Math.max(0, ...widths);
  const height = raw.length * lineHeight;
  const firstBaseline = (lineHeight - (ascent + descent)) / 2 + ascent;
  const lines = raw.map((line, i) => {
    const w = widths[i] ?? 0;
    const x = style.align === 'left' ? 0 : style.align === 'right' ? width - w : (width - w) / 2;
    return { text: line, x, baseline: firstBaseline + i * lineHeight, width: w };
  });
  const pad = (style.background?.padding ?? 0) * scale;
  const box = style.background ? { x: -pad, y: -pad, width: width + 2 * pad, height: height + 2 * pad, color: style.background.color } : null;
  return { size, width, height, lines, box };
}

/** The CSS font shorthand for a family at `px` pixels (quoted: "Roboto Mono"). */
export function cssFont(family: SnapshotTextStyle['fontFamily'], px: number): string {
  return `${px}px "${family}"`;
}
