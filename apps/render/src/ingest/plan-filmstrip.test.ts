import { describe, expect, it } from 'vitest';
import { videoStream } from './stream-fixtures.ts';
import { planFilmstrip, planImageThumbnail, tileSize } from './plan-filmstrip.ts';

describe('planFilmstrip', () => {
  it('a 3 s clip: three tiles a second apart in one row', () => {
    const { layout, args } = planFilmstrip({ durationUs: 3_000_000, width: 1280, height: 720 });
    expect(layout).toEqual({ version: 1, tileWidth: 160, tileHeight: 90, columns: 3, rows: 1, count: 3, intervalUs: 1_000_000 });
    expect(args.inputOptions).toEqual(['-skip_frame', 'nokey']);
    expect(args.outputOptions).toContain("select='gte(t,selected_n*1-0.5)',scale=160:90,setsar=1,tile=3x1");
  });

  it('a 2.5 s clip rounds the tile count up so the end is covered, a few ms of tail do not', () => {
    expect(planFilmstrip({ durationUs: 2_500_000, width: 320, height: 240 }).layout).toMatchObject({ count: 3, tileWidth: 120 });
    expect(planFilmstrip({ durationUs: 2_008_000, width: 320, height: 240 }).layout).toMatchObject({ count: 2 });
    expect(planFilmstrip({ durationUs: 100_000, width: 320, height: 240 }).layout).toMatchObject({ count: 1 });
  });

  it('two hours: 100 tiles spread evenly, 10 × 10', () => {
    const { layout, args } = planFilmstrip({ durationUs: 7_200_000_000, width: 1280, height: 720 });
    expect(layout).toMatchObject({ count: 100, columns: 10, rows: 10, intervalUs: 72_000_000 });
    expect(args.outputOptions).toContain("select='gte(t,selected_n*72-36)',scale=160:90,setsar=1,tile=10x10");
  });

  it('portrait and ultra-wide tiles stay within bounds', () => {
    expect(tileSize({ width: 720, height: 1280 })).toEqual({ tileWidth: 50, tileHeight: 90 });
    expect(tileSize({ width: 1280, height: 100 })).toEqual({ tileWidth: 320, tileHeight: 90 });
    expect(tileSize({ width: 10, height: 1000 })).toEqual({ tileWidth: 32, tileHeight: 90 });
  });

  it('an image gets one thumbnail, PNG when it has alpha', () => {
    const thumb = planImageThumbnail({ image: videoStream({ width: 400, height: 300, hasAlpha: true }) });
    expect(thumb.layout).toEqual({ version: 1, tileWidth: 120, tileHeight: 90, columns: 1, rows: 1, count: 1, intervalUs: 0 });
    expect(thumb.extension).toBe('png');
  });
});
