import type { AudioStreamInfo, FfmpegArgs } from '../ffmpeg/index.ts';

/**
 * Waveform peaks as JSON, in the shape of BBC audiowaveform's JSON output (version 2
 * there): the mono mix, `length` buckets of `samplesPerBucket` samples each, `data` holds
 * min and max of every bucket in turn, as 8-bit integers (−128…127 ≙ −1…1).
 */
export type WaveformPeaks = {
  version: 1;
  channels: 1;
  sampleRate: number;
  samplesPerBucket: number;
  bits: 8;
  length: number;
  data: number[];
};

export const WAVEFORM = {
  /**
   * Decoding at 16 kHz is plenty for a drawing (content above 8 kHz rarely sets the
   * peak) and a third of the work of 48 kHz. 160 samples = 100 buckets a second.
   */
  sampleRate: 16_000,
  minSamplesPerBucket: 160,
  /** Long media gets wider buckets: at most 60,000 (~480 KB of JSON). */
  maxBuckets: 60_000,
} as const;

export function samplesPerBucketFor(durationUs: number): number {
  const samples = Math.ceil((durationUs / 1_000_000) * WAVEFORM.sampleRate);
  return Math.max(WAVEFORM.minSamplesPerBucket, Math.ceil(samples / WAVEFORM.maxBuckets));
}

/** Decode one audio stream to mono 32-bit float PCM on stdout. */
export function planWaveformDecode({ audio }: { audio: AudioStreamInfo }): FfmpegArgs {
  return {
    inputOptions: [],
    outputOptions: ['-map', `0:${audio.index}`, '-vn', '-sn', '-dn', '-ac', '1', '-ar', String(WAVEFORM.sampleRate), '-c:a', 'pcm_f32le', '-f', 'f32le'],
  };
}

// Rounded away from zero alike on both sides (Math.round alone rounds -63.5 up to -63).
const toInt8 = (v: number) => Math.max(-128, Math.min(127, Math.sign(v) * Math.round(Math.abs(v) * 127)));

/**
 * Folds float samples into min/max buckets as they stream in, so a two-hour file never
 * sits in memory. Chunks from a pipe split samples anywhere; the odd bytes wait for the
 * next chunk.
 */
export class PeakAccumulator {
  readonly samplesPerBucket: number;
  private readonly data: number[] = [];
  private carry = Buffer.alloc(0);
  private inBucket = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  constructor(samplesPerBucket: number) {
    if (!Number.isInteger(samplesPerBucket) || samplesPerBucket < 1) throw new RangeError('samplesPerBucket must be a positive integer');
    this.samplesPerBucket = samplesPerBucket;
  }

  push(chunk: Buffer): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 4);
    for (let offset = 0; offset < whole; offset += 4) {
      let sample = bytes.readFloatLE(offset);
      if (Number.isNaN(sample)) sample = 0;
      if (sample < this.min) this.min = sample;
      if (sample > this.max) this.max = sample;
      if (++this.inBucket === this.samplesPerBucket) this.flush();
    }
    this.carry = Buffer.from(bytes.subarray(whole));
  }

  private flush(): void {
    this.data.push(toInt8(this.min), toInt8(this.max));
    this.inBucket = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
  }

  finish({ sampleRate }: { sampleRate: number }): WaveformPeaks {
    if (this.inBucket > 0) this.flush();
    return { version: 1, channels: 1, sampleRate, samplesPerBucket: this.samplesPerBucket, bits: 8, length: this.data.length / 2, data: this.data };
  }
}
