import { describe, expect, it } from 'vitest';
import { bucketPeaks, filmstripGrid, filmstripTile, peakToInt8, samplesPerBucketFor, tileSize, type FilmstripLayout, type WaveformPeaks } from './media-layout.ts';

describe('filmstrip and waveform contracts (written by render ingest, read by the editor)', () => {
  it('sizes tiles by aspect, spreads at most 100 tiles and finds the tile nearest a source time', () => {
    expect(tileSize({ width: 1920, height: 1080 })).toEqual({ tileWidth: 160, tileHeight: 90 });
    expect(filmstripGrid({ durationUs: 4_000_000 })).toEqual({ intervalUs: 1_000_000, count: 4, columns: 4, rows: 1 });
    expect(filmstripGrid({ durationUs: 7_200_000_000 })).toEqual({ intervalUs: 72_000_000, count: 100, columns: 10, rows: 10 });
    const layout: FilmstripLayout = { version: 1, tileWidth: 160, tileHeight: 90, columns: 10, rows: 2, count: 12, intervalUs: 2_000_000 };
    // Tile i shows the frame at i × interval: 12.9 s is nearest tile 6, 99 s clamps to the last.
    expect(filmstripTile({ layout, sourceSeconds: 12.9 })).toEqual({ index: 6, column: 6, row: 0 });
    expect(filmstripTile({ layout, sourceSeconds: 99 })).toEqual({ index: 11, column: 1, row: 1 });
    expect(filmstripTile({ layout: { ...layout, intervalUs: 0 }, sourceSeconds: 5 }).index).toBe(0);
  });

  it('stores peaks as 8-bit integers and reads them back within a step', () => {
    expect(samplesPerBucketFor(3_000_000)).toBe(160);
    for (const v of [-1, -0.5, -0.001, 0, 0.25, 1]) {
      const peaks: WaveformPeaks = { version: 1, channels: 1, sampleRate: 16000, samplesPerBucket: 160, bits: 8, length: 1, data: [peakToInt8(v), peakToInt8(v)] };
      const { min, max } = bucketPeaks(peaks, 0);
      expect(Math.abs(min - v)).toBeLessThanOrEqual(1 / 127);
      expect(Math.abs(max - v)).toBeLessThanOrEqual(1 / 127);
    }
    expect(peakToInt8(-0.5)).toBe(-peakToInt8(0.5));
  });
});
