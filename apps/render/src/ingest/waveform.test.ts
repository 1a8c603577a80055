import { describe, expect, it } from 'vitest';
import { PeakAccumulator, samplesPerBucketFor } from './waveform.ts';

const floats = (values: number[]) => {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeFloatLE(v, i * 4));
  return buffer;
};

describe('PeakAccumulator', () => {
  it('folds samples into min/max buckets as 8-bit values; the last bucket may be short', () => {
    const peaks = new PeakAccumulator(3);
    peaks.push(floats([0, 0.5, -0.5, 1, 1.2, -1, 0.25]));
    expect(peaks.finish({ sampleRate: 16000 })).toEqual({
      version: 1,
      channels: 1,
      sampleRate: 16000,
      samplesPerBucket: 3,
      bits: 8,
      length: 3,
      data: [-64, 64, -127, 127, 32, 32],
    });
  });

  it('handles samples split across chunks at any byte', () => {
    const all = floats([0.1, -0.2, 0.3, -0.4, 0.5, -0.6]);
    const whole = new PeakAccumulator(2);
    whole.push(all);
    const split = new PeakAccumulator(2);
    for (const cut of [[0, 3], [3, 9], [9, 10], [10, 24]]) split.push(all.subarray(cut[0], cut[1]));
    expect(split.finish({ sampleRate: 1 })).toEqual(whole.finish({ sampleRate: 1 }));
  });

  it('gives silence as zeros and an empty input as no buckets', () => {
    const silent = new PeakAccumulator(2);
    silent.push(floats([0, 0, 0, 0]));
    expect(silent.finish({ sampleRate: 1 }).data).toEqual([0, 0, 0, 0]);
    expect(new PeakAccumulator(2).finish({ sampleRate: 1 }).length).toBe(0);
  });

  it('uses 100 buckets a second, wider buckets past 10 minutes', () => {
    expect(samplesPerBucketFor(3_000_000)).toBe(160);
    expect(samplesPerBucketFor(600_000_000)).toBe(160);
    expect(samplesPerBucketFor(7_200_000_000)).toBe(1920);
  });
});
