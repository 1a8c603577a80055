import { describe, expect, it } from 'vitest';
import { PlaybackStats, epochOfTime, frameAt, frameTime, nextFrame, seekTime, timeAtEpoch } from './frame-clock.ts';

const fps30 = { num: 30, den: 1 };
const ntsc = { num: 30000, den: 1001 };

describe('frame clock', () => {
  it('[TL22] finds the frame containing a time on the model grid', () => {
    expect(frameAt(0, fps30)).toBe(0);
    // Frame 1 starts at 33,333 µs (k/30 s rounded to the µs).
    expect(frameAt(0.033332, fps30)).toBe(0);
    expect(frameAt(0.033333, fps30)).toBe(1);
    expect(frameAt(1001 / 30000, ntsc)).toBe(1);
    expect(frameTime(30, fps30)).toBe(1);
    expect(seekTime(1.0199, fps30)).toBeCloseTo(1);
  });

  it('maps the audio-anchored clock onto wall-clock time and back', () => {
    const clock = { anchorTime: 10, anchorEpoch: 1_000_000, rate: 1 };
    expect(timeAtEpoch(clock, 1_000_500)).toBeCloseTo(10.5);
    // Before the sound starts the picture waits on the anchor frame.
    expect(timeAtEpoch(clock, 999_900)).toBe(10);
    expect(epochOfTime(clock, 11)).toBe(1_001_000);
    const fast = { ...clock, rate: 2 };
    expect(timeAtEpoch(fast, 1_000_500)).toBeCloseTo(11);
    expect(epochOfTime(fast, 11)).toBe(1_000_500);
    const reverse = { ...clock, rate: -1 };
    expect(timeAtEpoch(reverse, 1_000_500)).toBeCloseTo(9.5);
    expect(epochOfTime(reverse, 9)).toBe(1_001_000);
    expect(timeAtEpoch(reverse, 1_100_000)).toBe(0);
  });

  it('prepares the next frame, or skips to the one due when behind, counting the drops', () => {
    expect(nextFrame({ presented: 10, due: 10, rate: 1 })).toEqual({ frame: 11, dropped: 0 });
    expect(nextFrame({ presented: 10, due: 11, rate: 1 })).toEqual({ frame: 11, dropped: 0 });
    expect(nextFrame({ presented: 10, due: 14, rate: 1 })).toEqual({ frame: 14, dropped: 3 });
    expect(nextFrame({ presented: 10, due: 10, rate: -1 })).toEqual({ frame: 9, dropped: 0 });
    expect(nextFrame({ presented: 10, due: 7, rate: -1 })).toEqual({ frame: 7, dropped: 2 });
    expect(nextFrame({ presented: 0, due: 0, rate: -1 })).toEqual({ frame: 0, dropped: 0 });
  });

  it('measures presented frames per second and the dropped share', () => {
    const stats = new PlaybackStats();
    stats.reset(0);
    stats.add({ presented: 57, dropped: 0 });
    stats.add({ presented: 1, dropped: 2 });
    expect(stats.fps(2000)).toBe(29);
    expect(stats.droppedPercent()).toBeCloseTo(100 * (2 / 60));
  });
});
