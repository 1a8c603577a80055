import { describe, expect, it } from 'vitest';
import { create, real53 } from 'lib0/prng';
import {
  MAX_TIME_US,
  frameIndexAt,
  frameStartMicros,
  frameTimeSeconds,
  nearestFrameIndex,
  secondsToMicros,
  snapPointMicros,
  snapSeconds,
} from './time.ts';

const NTSC_FILM = { num: 24000, den: 1001 };
const NTSC = { num: 30000, den: 1001 };

/** Reference: exact rational frame start, rounded half up, with BigInt. */
function refFrameStart(k: number, fps: { num: number; den: number }): number {
  const n = BigInt(k) * BigInt(fps.den) * 1_000_000n;
  const q = n / BigInt(fps.num);
  const r = n % BigInt(fps.num);
  return Number(2n * r >= BigInt(fps.num) ? q + 1n : q);
}

describe('time', () => {
  it('[TL20] seconds convert to whole microseconds', () => {
    expect(secondsToMicros(1.5)).toBe(1_500_000);
    expect(secondsToMicros(0.0000004)).toBe(0);
    expect(secondsToMicros(0.0000005)).toBe(1);
  });

  it('[TL22] snaps to the nearest frame at 23.976 fps', () => {
    // 1 s is 23.976 frames → frame 24, which starts at 24 × 1001/24000 s = 1.001 s.
    expect(snapSeconds(1, NTSC_FILM)).toBe(1_001_000);
    // 0.5 s is 11.988 frames → frame 12 = 0.5005 s.
    expect(snapSeconds(0.5, NTSC_FILM)).toBe(500_500);
    // Frame 1 starts at 41 708.33 µs → 41 708 µs.
    expect(frameStartMicros(1, NTSC_FILM)).toBe(41_708);
    expect(snapSeconds(0.03, NTSC_FILM)).toBe(41_708);
    expect(snapSeconds(0.02, NTSC_FILM)).toBe(0);
  });

  it('[TL22] snaps to the nearest frame at 29.97 fps', () => {
    expect(snapSeconds(1, NTSC)).toBe(1_001_000);
    // Frame 1 starts at 33 366.67 µs → 33 367 µs (halves and above round up).
    expect(frameStartMicros(1, NTSC)).toBe(33_367);
    expect(frameStartMicros(2, NTSC)).toBe(66_733);
    expect(snapSeconds(0.06, NTSC)).toBe(66_733);
    expect(snapSeconds(10, NTSC)).toBe(frameStartMicros(300, NTSC));
  });

  it('[TL22] a point exactly halfway between frames rounds up', () => {
    const oneFps = { num: 1, den: 1 };
    expect(snapSeconds(0.5, oneFps)).toBe(1_000_000);
    expect(snapSeconds(0.499999, oneFps)).toBe(0);
    expect(snapSeconds(2.5, { num: 2, den: 1 })).toBe(2_500_000);
  });

  it('[TL22] frame starts are exact at the 24 h limit (BigInt reference)', () => {
    for (const fps of [NTSC_FILM, NTSC, { num: 60000, den: 1001 }, { num: 240, den: 1 }, { num: 25, den: 1 }]) {
      const last = nearestFrameIndex(MAX_TIME_US, fps);
      for (const k of [0, 1, 2, 1001, 123_457, last - 1, last]) {
        expect(frameStartMicros(k, fps)).toBe(refFrameStart(k, fps));
      }
    }
  });

  it('[TL22] snapping is idempotent and lands on a frame start', () => {
    const gen = create(42);
    for (const fps of [NTSC_FILM, NTSC, { num: 25, den: 1 }, { num: 120000, den: 1001 }, { num: 1, den: 1 }]) {
      for (let i = 0; i < 2000; i++) {
        const us = Math.floor(real53(gen) * MAX_TIME_US);
        const once = snapPointMicros(us, fps);
        expect(snapPointMicros(once, fps)).toBe(once);
        expect(frameStartMicros(nearestFrameIndex(once, fps), fps)).toBe(once);
        // Never more than half a frame away.
        expect(Math.abs(once - us)).toBeLessThanOrEqual((fps.den * 1e6) / fps.num / 2 + 1);
      }
    }
  });

  it('[TL22] frameIndexAt finds the frame containing a time', () => {
    for (const k of [0, 1, 5, 1000, 86_000]) {
      const start = frameStartMicros(k, NTSC);
      expect(frameIndexAt(start, NTSC)).toBe(k);
      expect(frameIndexAt(frameStartMicros(k + 1, NTSC) - 1, NTSC)).toBe(k);
    }
    expect(frameTimeSeconds(24, NTSC_FILM)).toBe(1.001);
  });
});

describe('nearestFrameIndex on out-of-range input (issue 12)', () => {
  it('never throws: fractions round, huge finite numbers stay exact, non-finite input stays non-finite', () => {
    expect(nearestFrameIndex(41_666.4, { num: 24, den: 1 })).toBe(1);
    expect(nearestFrameIndex(1e300, { num: 25, den: 1 })).toBeGreaterThan(1e294);
    expect(nearestFrameIndex(1e308 * 1e6, NTSC)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(nearestFrameIndex(Number.NaN, NTSC))).toBe(true);
  });
});
