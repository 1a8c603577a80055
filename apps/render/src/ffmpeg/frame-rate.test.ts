import { describe, expect, it } from 'vitest';
import { chooseFrameRate, frameRateFromCount } from './frame-rate.ts';
import { fromNumber, parseRational } from './rational.ts';

const r = (text: string) => parseRational(text);

describe('parseRational', () => {
  it('reads and reduces ffprobe rationals; 0/0 is unknown', () => {
    expect(r('30000/1001')).toEqual({ num: 30000, den: 1001 });
    expect(r('60/2')).toEqual({ num: 30, den: 1 });
    expect(r('25')).toEqual({ num: 25, den: 1 });
    expect(r('0/0')).toBeNull();
    expect(r('1:1')).toEqual({ num: 1, den: 1 });
    expect(r('abc')).toBeNull();
    expect(fromNumber(29.97)).toEqual({ num: 2997, den: 100 });
  });
});

describe('chooseFrameRate', () => {
  it('constant rate: avg and r agree', () => {
    expect(chooseFrameRate({ avg: r('24000/1001'), real: r('24000/1001') })).toEqual({ fps: { num: 24000, den: 1001 }, variable: false });
    expect(chooseFrameRate({ avg: r('25/1'), real: r('25/1') })).toEqual({ fps: { num: 25, den: 1 }, variable: false });
  });

  it('phone VFR: avg a little under the nominal r gives r', () => {
    expect(chooseFrameRate({ avg: r('2987/100'), real: r('30/1') })).toEqual({ fps: { num: 30, den: 1 }, variable: true });
  });

  it('an r that is a container tick, not a rate, falls back to the average snapped to a standard rate', () => {
    expect(chooseFrameRate({ avg: r('5994/100'), real: r('90000/1') })).toEqual({ fps: { num: 60000, den: 1001 }, variable: false });
  });

  it('an r below the average cannot be the grid', () => {
    expect(chooseFrameRate({ avg: r('30/1'), real: r('15/1') })).toEqual({ fps: { num: 30, den: 1 }, variable: true });
  });

  it('odd rates stay as measured', () => {
    expect(chooseFrameRate({ avg: r('15/1'), real: r('15/1') })).toEqual({ fps: { num: 15, den: 1 }, variable: false });
  });

  it('nothing usable: null, and a packet count can stand in', () => {
    expect(chooseFrameRate({ avg: null, real: r('1000/1') })).toBeNull();
    expect(frameRateFromCount(60, 2_000_000)).toEqual({ fps: { num: 30, den: 1 }, variable: true });
    expect(frameRateFromCount(1, 2_000_000)).toBeNull();
  });
});
