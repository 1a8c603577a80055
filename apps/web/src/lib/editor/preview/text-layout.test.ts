import { describe, expect, it } from 'vitest';
import type { SnapshotTextStyle } from '@cutline/timeline';
import { cssFont, layoutText, splitLines, type TextMeasurer } from './text-layout.ts';

const style: SnapshotTextStyle = { fontFamily: 'Roboto Mono', fontSize: 10, color: '#ffffff', background: null, align: 'center' };
// A monospace stand-in: every character 0.6 em wide, ascent 0.8 em, descent 0.2 em.
const measure: TextMeasurer = { metrics: (_f, size) => ({ ascent: 0.8 * size, descent: 0.2 * size }), width: (line, _f, size) => line.length * 0.6 * size };

describe('text layout (the render contract)', () => {
  it('stacks lines 1.2 × size apart with the font box centred, aligned in the widest line', () => {
    const block = layoutText({ text: 'abcd\nab', style, scale: 1, measure });
    expect(block.size).toBe(10);
    expect(block.width).toBe(24);
    expect(block.height).toBe(24);
    // Line box 12 px, font box 10 px: 1 px of half-leading above an 8 px ascent.
    expect(block.lines).toEqual([
      { text: 'abcd', x: 0, baseline: 9, width: 24 },
      { text: 'ab', x: 6, baseline: 21, width: 12 },
    ]);
    expect(layoutText({ text: 'abcd\nab', style: { ...style, align: 'right' }, scale: 1, measure }).lines[1]?.x).toBe(12);
    expect(layoutText({ text: 'abcd\nab', style: { ...style, align: 'left' }, scale: 1, measure }).lines[1]?.x).toBe(0);
  });

  it('lays out at the whole-pixel size of fontSize × scale', () => {
    const block = layoutText({ text: 'ab', style, scale: 1.26, measure });
    expect(block.size).toBe(13);
    expect(block.width).toBeCloseTo(2 * 0.6 * 13);
  });

  it('grows the background box by padding × scale on every side', () => {
    const block = layoutText({ text: 'ab', style: { ...style, background: { color: '#000000', padding: 4 } }, scale: 2, measure });
    expect(block.box).toEqual({ x: -8, y: -8, width: 24 + 16, height: 24 + 16, color: '#000000' });
  });

  it('keeps empty lines and literal characters, and never a NUL', () => {
    expect(splitLines("a\r\n\n%{pts}:'\\\0")).toEqual(['a', '', "%{pts}:'\\\uFFFD"]);
    expect(layoutText({ text: 'a\n\nb', style, scale: 1, measure }).height).toBe(36);
  });

  it('quotes the family in the CSS font', () => {
    expect(cssFont('Roboto Mono', 5)).toBe('5px "Roboto Mono"');
  });
});
