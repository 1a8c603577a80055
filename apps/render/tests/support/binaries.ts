/**
 * The FFmpeg the tests run: the configured one (FFMPEG_PATH/FFPROBE_PATH, as the worker
 * reads them), else PATH, else the npm build. CI pins the variables to run the render tests
 * once per FFmpeg build; a bare resolveFfmpegBinaries() would ignore them.
 */
import { loadConfig } from '@cutline/shared/config';
import { resolveFfmpegBinaries, type FfmpegBinaries } from '../../src/ffmpeg/index.ts';

export function testBinaries(): FfmpegBinaries {
  const config = loadConfig();
  return resolveFfmpegBinaries({ ffmpegPath: config.FFMPEG_PATH, ffprobePath: config.FFPROBE_PATH });
}
