import { WAVEFORM, peakToInt8, type WaveformPeaks } from '@cutline/shared/media-layout';
import type { AudioStreamInfo, FfmpegArgs } from '../ffmpeg/index.ts';

// The peaks format is a contract with the editor: it lives in @cutline/shared/media-layout.
export { WAVEFORM, samplesPerBucketFor, type WaveformPeaks } from '@cutline/shared/media-layout';

/** Decode one audio stream to mono 32-bit float PCM on stdout. */
export function planWaveformDecode({ audio }: { audio: AudioStreamInfo }): FfmpegArgs {
  return {
    inputOptions: [],
    outputOptions: ['-map', `0:${audio.index}`, '-vn', '-sn', '-dn', '-ac', '1', '-ar', String(WAVEFORM.sampleRate), '-c:a', 'pcm_f32le', '-f', 'f32le'],
  };
}


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
    this.data.push(peakToInt8(this.min), peakToInt8(this.max));
    this.inBucket = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
  }

  finish({ sampleRate }: { sampleRate: number }): WaveformPeaks {
    if (this.inBucket > 0) this.flush();
    return { version: 1, channels: 1, sampleRate, samplesPerBucket: this.samplesPerBucket, bits: 8, length: this.data.length / 2, data: this.data };
  }
}
