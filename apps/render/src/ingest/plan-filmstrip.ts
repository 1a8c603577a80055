import type { FfmpegArgs, VideoStreamInfo } from '../ffmpeg/index.ts';
import { filmstripGrid, tileSize, type FilmstripLayout } from '@cutline/shared/media-layout';
import { stillArgs } from './plan-proxy.ts';

// The filmstrip's layout is a contract with the editor: it lives in @cutline/shared/media-layout.
export { FILMSTRIP, tileSize, type FilmstripLayout } from '@cutline/shared/media-layout';

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
  const { intervalUs, count, columns, rows } = filmstripGrid({ durationUs });
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
