import type { FfmpegArgs, VideoStreamInfo } from '../ffmpeg/index.ts';
import { stillArgs } from './plan-proxy.ts';

/**
 * Filmstrip sprite: thumbnails in one JPEG, left to right then top to bottom. Tile i
 * shows the frame at `i × intervalUs`. The layout is stored with the asset (assets.filmstrip)
 * so the editor can cut tiles out of the sprite without loading it first.
 */
export type FilmstripLayout = {
  version: 1;
  tileWidth: number;
  tileHeight: number;
  columns: number;
  rows: number;
  count: number;
  /** Time between tiles; 0 for an image's single thumbnail. */
  intervalUs: number;
};

export const FILMSTRIP = {
  tileHeight: 90,
  minTileWidth: 32,
  maxTileWidth: 320,
  /** One tile a second for short clips; long media spreads 100 tiles over its length. */
  minIntervalUs: 1_000_000,
  maxTiles: 100,
  maxColumns: 10,
} as const;

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

export function tileSize({ width, height }: { width: number; height: number }): { tileWidth: number; tileHeight: number } {
  const tileHeight = FILMSTRIP.tileHeight;
  const tileWidth = Math.min(FILMSTRIP.maxTileWidth, Math.max(FILMSTRIP.minTileWidth, even((tileHeight * width) / height)));
  return { tileWidth, tileHeight };
}

/**
 * Arguments that read the video PROXY, not the original: the proxy is upright, small,
 * and has a keyframe every second, so `-skip_frame nokey` decodes only keyframes (a
 * two-hour film is ~7200 small decodes, not 200,000 full ones) and still lands within
 * a second of each tile's time.
 */
export function planFilmstrip({ durationUs, width, height }: { durationUs: number; width: number; height: number }): {
  layout: FilmstripLayout;
  args: FfmpegArgs;
} {
  const intervalUs = Math.max(FILMSTRIP.minIntervalUs, Math.ceil(durationUs / FILMSTRIP.maxTiles / 1000) * 1000);
  // A tail shorter than a tenth of the interval (2.008 s of WebM) gets no tile of its own.
  const count = Math.max(1, Math.min(FILMSTRIP.maxTiles, Math.ceil(durationUs / intervalUs - 0.1)));
  const columns = Math.min(count, FILMSTRIP.maxColumns);
  const rows = Math.ceil(count / columns);
  const { tileWidth, tileHeight } = tileSize({ width, height });
  const interval = intervalUs / 1_000_000;
  return {
    layout: { version: 1, tileWidth, tileHeight, columns, rows, count, intervalUs },
    args: {
      inputOptions: ['-skip_frame', 'nokey'],
      outputOptions: [
        '-map', '0:v:0',
        '-an', '-sn', '-dn',
        // Tile k takes the first keyframe at or after k × interval − interval/2, i.e. the one
        // nearest its time. (The fps filter would be the obvious tool, but FFmpeg 4.1's drops
        // a lone last frame at EOF, leaving a 1 s clip with no filmstrip at all.) tile
        // flushes a partly filled grid at the end; empty cells stay black.
        '-vf', `select='gte(t,selected_n*${interval}-${interval / 2})',scale=${tileWidth}:${tileHeight},setsar=1,tile=${columns}x${rows}`,
        '-frames:v', '1',
        '-c:v', 'mjpeg', '-q:v', '4', '-pix_fmt', 'yuvj420p',
        '-map_metadata', '-1',
        '-f', 'image2', '-update', '1',
      ],
    },
  };
}

/** An image's "filmstrip": one thumbnail (PNG if it has alpha), layout 1 × 1. */
export function planImageThumbnail({ image }: { image: VideoStreamInfo }): { layout: FilmstripLayout; args: FfmpegArgs; extension: 'png' | 'jpg' } {
  const { tileWidth, tileHeight } = tileSize(image);
  const still = stillArgs({ image, width: tileWidth, height: tileHeight });
  return { layout: { version: 1, tileWidth, tileHeight, columns: 1, rows: 1, count: 1, intervalUs: 0 }, ...still };
}
