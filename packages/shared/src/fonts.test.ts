import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FONT_FAMILIES } from '@cutline/timeline';
import { FONT_FAMILY_NAMES, fontFile, fontFiles, fontMetrics, measureLine, UnknownFontError } from './fonts.ts';

describe('bundled fonts', () => {
  it('ship one TTF per timeline family (and a bold), from npm', () => {
    expect([...FONT_FAMILY_NAMES]).toEqual([...FONT_FAMILIES]);
    for (const { path } of fontFiles()) {
      expect(path).toMatch(/\.ttf$/);
      expect(existsSync(path)).toBe(true);
    }
    expect(fontFile('Roboto Mono')).toMatch(/RobotoMono_400Regular\.ttf$/);
    expect(() => fontFile('Comic Sans')).toThrow(UnknownFontError);
  });
  it('read metrics and advance widths from the files', () => {
    const mono = fontMetrics('Roboto Mono');
    expect(mono.unitsPerEm).toBe(2048);
    // Monospaced: every glyph the same advance.
    expect(measureLine(mono, 'iiii', 20)).toBeCloseTo(measureLine(mono, 'WWWW', 20));
    const inter = fontMetrics('Inter');
    expect(inter.ascender).toBeGreaterThan(0);
    expect(inter.descender).toBeLessThan(0);
    expect(measureLine(inter, 'WWWW', 48)).toBeGreaterThan(measureLine(inter, 'iiii', 48));
    // Beyond the BMP (emoji) resolves through the cmap without throwing.
    expect(measureLine(inter, '😀', 48)).toBeGreaterThan(0);
  });
});
