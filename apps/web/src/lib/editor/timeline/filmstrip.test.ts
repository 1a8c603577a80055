import { describe, expect, it } from 'vitest';
import type { FilmstripLayout, WaveformPeaks } from '#lib/api/types.ts';
import { filmstripTiles } from './filmstrip.ts';
import { waveformColumns } from './waveform.ts';

const layout: FilmstripLayout = { version: 1, tileWidth: 160, tileHeight: 90, columns: 10, rows: 2, count: 12, intervalUs: 1_000_000 };

describe('filmstrip tiles', () => {
  it('lays tiles at lane height and picks the tile nearest each slot’s source time', () => {
    // Lane 45 px high → tiles 80 px wide; 100 px/s → a slot every 0.8 s.
    const tiles = filmstripTiles({ layout, sourceIn: 2, speed: 1, duration: 3, pxPerSecond: 100, height: 45 });
    expect(tiles.map((t) => t.left)).toEqual([0, 80, 160, 240]);
    expect(tiles.map((t) => t.index)).toEqual([2, 3, 4, 4]);
    expect(tiles[3]?.width).toBe(60);
    expect(tiles[0]).toMatchObject({ backgroundX: -160, backgroundY: -0, backgroundWidth: 800, backgroundHeight: 90 });
  });

  it('wraps to the next sprite row and clamps to the last tile', () => {
    const [tile] = filmstripTiles({ layout, sourceIn: 11, speed: 1, duration: 1, pxPerSecond: 100, height: 90 });
    expect(tile).toMatchObject({ index: 11, backgroundX: -160, backgroundY: -90 });
    const [late] = filmstripTiles({ layout, sourceIn: 40, speed: 1, duration: 1, pxPerSecond: 100, height: 90 });
    expect(late?.index).toBe(11);
  });

  it('returns only visible slots', () => {
    const tiles = filmstripTiles({ layout, sourceIn: 0, speed: 2, duration: 100, pxPerSecond: 100, height: 90, visibleFrom: 50, visibleTo: 52 });
    expect(tiles.length).toBeLessThanOrEqual(3);
    expect(tiles[0]?.left).toBe(Math.floor(5000 / 160) * 160);
  });
});

describe('waveform columns', () => {
  const peaks: WaveformPeaks = { version: 1, channels: 1, sampleRate: 100, samplesPerBucket: 10, bits: 8, length: 4, data: [-128, 127, -64, 64, 0, 0, -10, 20] };

  it('folds buckets per column and keeps peaks when zoomed out', () => {
    const cols = waveformColumns({ peaks, sourceFrom: 0, sourceTo: 0.4, columns: 2 });
    expect(Array.from(cols)).toEqual([-1, 1, Math.fround(-10 / 128), Math.fround(20 / 127)]);
  });

  it('repeats a bucket when zoomed in', () => {
    const cols = waveformColumns({ peaks, sourceFrom: 0.1, sourceTo: 0.2, columns: 4 });
    expect(cols[1]).toBeCloseTo(64 / 127);
    expect(cols[7]).toBeCloseTo(64 / 127);
  });
});
