import { describe, expect, it } from 'vitest';
import { formatDuration, formatRulerLabel, formatTimecode, framesToTimecode, parseTimecode } from './timecode.ts';

const fps30 = { num: 30, den: 1 };
const fps25 = { num: 25, den: 1 };
const ntsc = { num: 30000, den: 1001 };

describe('timecode', () => {
  it('formats non-drop timecode on the frame grid', () => {
    expect(formatTimecode(0, fps30)).toBe('00:00:00:00');
    expect(formatTimecode(1, fps30)).toBe('00:00:01:00');
    expect(formatTimecode(1.5, fps25)).toBe('00:00:01:12');
    expect(formatTimecode(3661 + 29 / 30, fps30)).toBe('01:01:01:29');
    // A time inside a frame shows that frame, never the next one.
    expect(formatTimecode(1 / 30 - 1e-6, fps30)).toBe('00:00:00:00');
  });

  it('formats 29.97 as drop-frame, skipping ;00 and ;01 at each minute but every tenth', () => {
    expect(framesToTimecode(1799, ntsc)).toBe('00:00:59;29');
    expect(framesToTimecode(1800, ntsc)).toBe('00:01:00;02');
    expect(framesToTimecode(17982, ntsc)).toBe('00:10:00;00');
    // One hour of 29.97 is 107,892 frames and reads exactly one hour.
    expect(framesToTimecode(107892, ntsc)).toBe('01:00:00;00');
    expect(formatTimecode(3600, ntsc)).toBe('01:00:00;00');
  });

  it('formats durations and ruler labels', () => {
    expect(formatDuration(4.5)).toBe('0:04.50');
    expect(formatDuration(65)).toBe('1:05.00');
    expect(formatDuration(3723)).toBe('1:02:03.00');
    expect(formatRulerLabel(90, fps30, false)).toBe('1:30');
    expect(formatRulerLabel(5 + 12 / 30, fps30, true)).toBe('0:05:12');
    expect(formatRulerLabel(3600, fps30, false)).toBe('1:00:00');
  });

  it('parses what people type', () => {
    expect(parseTimecode('12.5', fps30)).toBe(12.5);
    expect(parseTimecode('1:30', fps30)).toBe(90);
    expect(parseTimecode('1:02:03.5', fps30)).toBe(3723.5);
    expect(parseTimecode('00:00:01:15', fps30)).toBe(1.5);
    expect(parseTimecode('00:00:01;15', ntsc)).toBe(1.5);
    expect(parseTimecode('00:00:01:30', fps30)).toBeNull();
    expect(parseTimecode('1:75', fps30)).toBeNull();
    expect(parseTimecode('soon', fps30)).toBeNull();
  });
});
