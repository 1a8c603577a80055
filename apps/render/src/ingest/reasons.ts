import { FfmpegError } from '../ffmpeg/index.ts';
import { NOT_MEDIA } from './classify.ts';
import { MediaRejectedError } from './errors.ts';

export const EMPTY_FILE = 'The file is empty (0 bytes).';
export const TRUNCATED_MP4 =
  'The file is incomplete: its MP4/MOV index (the "moov atom") is missing, so the upload or recording was probably cut off.';
export const TRUNCATED_DATA = 'The file is incomplete: it ends in the middle of its media data, so the upload or recording was probably cut off.';

/**
 * True when ffmpeg "succeeded" on a file that stops early: the mov demuxer warns
 * "partial file" and ffmpeg exits 0 with a short output.
 */
export function looksTruncated(stderr: string): boolean {
  return /partial file/i.test(stderr);
}

/** ffprobe could not open the file: why, in words for the uploader. */
export function rejectionForProbeFailure(error: FfmpegError): MediaRejectedError {
  const text = error.stderrTail;
  if (/moov atom not found/i.test(text)) return new MediaRejectedError(TRUNCATED_MP4, { cause: error });
  if (looksTruncated(text)) return new MediaRejectedError(TRUNCATED_DATA, { cause: error });
  return new MediaRejectedError(NOT_MEDIA, { cause: error });
}

/** ffmpeg failed converting a file that probed fine: the file is damaged in the middle. */
export function rejectionForConversionFailure(error: FfmpegError, what: string): MediaRejectedError {
  if (looksTruncated(error.stderrTail)) return new MediaRejectedError(TRUNCATED_DATA, { cause: error });
  const detail = error.stderrTail.split('\n').at(-1)?.replace(/^\[[^\]]+\]\s*/, '') ?? '';
  return new MediaRejectedError(`Cutline could not ${what}; the file may be damaged${detail ? ` (${detail.slice(0, 200)})` : ''}.`, { cause: error });
}
