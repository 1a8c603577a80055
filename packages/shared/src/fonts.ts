/**
 * The fonts Cutline ships (docs/ARCHITECTURE.md, "Preview and export draw the same picture"): one TrueType file per family and weight, from the
 * Google Fonts packages on npm. The render farm hands these paths to FFmpeg's drawtext and
 * the web app serves the very same files to the browser preview, so text is drawn from the
 * same outlines in both. The families are the timeline's FONT_FAMILIES.
 *
 * `fontMetrics` reads the few tables a layout needs (units per em, ascender/descender,
 * advance widths) straight from the file, so preview and render can lay text out with the
 * same numbers without a font library.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CutlineError } from './errors.ts';

export const FONT_FAMILY_NAMES = ['Inter', 'Roboto Mono', 'Noto Serif'] as const;
export type FontFamilyName = (typeof FONT_FAMILY_NAMES)[number];
export type FontWeight = 400 | 700;

/** Package-relative file of each family and weight (regular is what the timeline uses). */
const FILES: Record<FontFamilyName, Record<FontWeight, string>> = {
  Inter: {
    400: '@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf',
    700: '@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf',
  },
  'Roboto Mono': {
    400: '@expo-google-fonts/roboto-mono/400Regular/RobotoMono_400Regular.ttf',
    700: '@expo-google-fonts/roboto-mono/700Bold/RobotoMono_700Bold.ttf',
  },
  'Noto Serif': {
    400: '@expo-google-fonts/noto-serif/400Regular/NotoSerif_400Regular.ttf',
    700: '@expo-google-fonts/noto-serif/700Bold/NotoSerif_700Bold.ttf',
  },
};

export class UnknownFontError extends CutlineError {
  constructor(family: string) {
    super('unknown_font', `Unknown font family ${JSON.stringify(family)}; Cutline ships ${FONT_FAMILY_NAMES.join(', ')}`, 400);
  }
}

export function isFontFamily(value: string): value is FontFamilyName {
  return (FONT_FAMILY_NAMES as readonly string[]).includes(value);
}

const require = createRequire(import.meta.url);

/** Absolute path of the bundled TTF for `family` (regular unless `weight` is 700). */
export function fontFile(family: string, weight: FontWeight = 400): string {
  if (!isFontFamily(family)) throw new UnknownFontError(family);
  return require.resolve(FILES[family][weight]);
}

/** Every bundled file, e.g. for a route that serves them or a check that they exist. */
export function fontFiles(): { family: FontFamilyName; weight: FontWeight; path: string }[] {
  return FONT_FAMILY_NAMES.flatMap((family) => ([400, 700] as const).map((weight) => ({ family, weight, path: fontFile(family, weight) })));
}

export type FontMetrics = {
  unitsPerEm: number;
  /** hhea ascender/descender in font units (descender is negative). */
  ascender: number;
  descender: number;
  /** Advance width in font units of the glyph for a code point; .notdef's for a missing one. */
  advance(codePoint: number): number;
};

const metricsCache = new Map<string, FontMetrics>();

/** Metrics of a bundled font, parsed once per file. */
export function fontMetrics(family: string, weight: FontWeight = 400): FontMetrics {
  const path = fontFile(family, weight);
  let metrics = metricsCache.get(path);
  if (!metrics) {
    metrics = parseTrueType(readFileSync(path));
    metricsCache.set(path, metrics);
  }
  return metrics;
}

/**
 * Width in pixels of one line of text at `size` px: the sum of advance widths. No kerning,
 * on purpose: FFmpeg's drawtext (4.x) kerns only with the legacy `kern` table, which these
 * Google Fonts builds do not have, so summing advances is what the render draws.
 */
export function measureLine(metrics: FontMetrics, text: string, size: number): number {
  let units = 0;
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    // drawtext expands a tab to the next multiple of 4 spaces; close enough for measuring.
    units += cp === 9 ? 4 * metrics.advance(32) : metrics.advance(cp);
  }
  return (units * size) / metrics.unitsPerEm;
}

class FontParseError extends CutlineError {
  constructor(message: string) {
    super('font_invalid', `Bundled font is unreadable: ${message}`, 500);
  }
}

/** Reads head, hhea, hmtx and cmap (formats 4 and 12) from a TrueType/OpenType file. */
export function parseTrueType(data: Buffer): FontMetrics {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const numTables = view.getUint16(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    tables.set(data.toString('latin1', record, record + 4), view.getUint32(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new FontParseError(`no ${tag} table`);
    return offset;
  };
  const head = table('head');
  const hhea = table('hhea');
  const unitsPerEm = view.getUint16(head + 18);
  const ascender = view.getInt16(hhea + 4);
  const descender = view.getInt16(hhea + 6);
  const numberOfHMetrics = view.getUint16(hhea + 34);
  const hmtx = table('hmtx');
  const advanceOfGlyph = (glyph: number): number => view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));
  const glyphOf = parseCmap(view, table('cmap'));
  const cache = new Map<number, number>();
  return {
    unitsPerEm,
    ascender,
    descender,
    advance(codePoint) {
      let advance = cache.get(codePoint);
      if (advance === undefined) {
        advance = advanceOfGlyph(glyphOf(codePoint));
        cache.set(codePoint, advance);
      }
      return advance;
    },
  };
}

function parseCmap(view: DataView, cmap: number): (codePoint: number) => number {
  const count = view.getUint16(cmap + 2);
  let format4: number | null = null;
  let format12: number | null = null;
  for (let i = 0; i < count; i++) {
    const platform = view.getUint16(cmap + 4 + i * 8);
    const encoding = view.getUint16(cmap + 6 + i * 8);
    const offset = cmap + view.getUint32(cmap + 8 + i * 8);
    const format = view.getUint16(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12) format12 = offset;
    if (format === 4) format4 = offset;
  }
  if (format12 !== null) {
    const start = format12;
    const groups = view.getUint32(start + 12);
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const group = start + 16 + mid * 12;
        const first = view.getUint32(group);
        const last = view.getUint32(group + 4);
        if (cp < first) hi = mid - 1;
        else if (cp > last) lo = mid + 1;
        else return view.getUint32(group + 8) + (cp - first);
      }
      return 0;
    };
  }
  if (format4 === null) throw new FontParseError('no Unicode cmap');
  const start = format4;
  const segCount = view.getUint16(start + 6) / 2;
  const ends = start + 14;
  const starts = ends + segCount * 2 + 2;
  const deltas = starts + segCount * 2;
  const rangeOffsets = deltas + segCount * 2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let i = 0; i < segCount; i++) {
      if (cp > view.getUint16(ends + i * 2)) continue;
      const first = view.getUint16(starts + i * 2);
      if (cp < first) return 0;
      const delta = view.getInt16(deltas + i * 2);
      const rangeOffset = view.getUint16(rangeOffsets + i * 2);
      if (rangeOffset === 0) return (cp + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsets + i * 2 + rangeOffset + (cp - first) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
