import type { AssetKind } from '@cutline/shared/assets';
import type { AudioStreamInfo, MediaProbe, VideoStreamInfo } from '../ffmpeg/index.ts';
import { MediaRejectedError } from './errors.ts';
import { MEDIA_LIMITS } from './limits.ts';
export type Classified = { kind: AssetKind; video: VideoStreamInfo | null; audio: AudioStreamInfo | null };

// "Video" codecs FFmpeg offers for text files (ANSI art, .nfo viewers): not media to us.
const TEXT_CODECS = new Set(['ansi', 'bintext', 'xbin', 'idf', 'tty']);
// Demuxers that read one still picture: png_pipe, jpeg_pipe, webp_pipe, bmp_pipe, tiff_pipe …
const isImageFormat = (formatName: string): boolean => formatName === 'image2' || formatName.split(',').some((name) => name.endsWith('_pipe'));

export const NOT_MEDIA = 'This is not a video, audio or image file that Cutline can read.';

const pixels = (w: number, h: number) => `${w}×${h} pixels`;

/** Which kind of asset a probed file is, or MediaRejectedError with a reason a person can read. */
export function classifyMedia(probe: MediaProbe): Classified {
  if (probe.refusedSize) {
    const { width, height } = probe.refusedSize;
    throw new MediaRejectedError(
      `The image is ${pixels(width, height)}; Cutline accepts images up to ${MEDIA_LIMITS.imageMaxSide} pixels on a side and ${MEDIA_LIMITS.imageMaxPixels / 1_000_000} megapixels.`,
    );
  }
  if (probe.formatName === 'tty') throw new MediaRejectedError(NOT_MEDIA);
  const pictures = probe.video.filter((v) => !TEXT_CODECS.has(v.codec));
  const moving = pictures.find((v) => !v.attachedPicture);
  const audio = probe.audio.find((a) => a.channels > 0 && a.sampleRate > 0) ?? null;

  if (moving && isImageFormat(probe.formatName) && !audio) return checkImage(moving);
  // A GIF or an image demuxer with a single frame is a still; an animated GIF is video.
  if (moving && probe.formatName === 'gif' && (moving.frameCount ?? 1) <= 1 && !probe.durationUs) return checkImage(moving);
  if (moving) return { kind: 'video', video: checkVideo(moving), audio };
  if (audio) return { kind: 'audio', video: null, audio };
  if (probe.video.length > 0 || probe.audio.length > 0 || probe.other.length > 0) {
    throw new MediaRejectedError('The file has no video, audio or picture Cutline can use (only subtitles, data or empty tracks).');
  }
  throw new MediaRejectedError(NOT_MEDIA);
}

function checkImage(image: VideoStreamInfo): Classified {
  const { width, height } = image;
  if (width <= 0 || height <= 0) throw new MediaRejectedError('The image has no readable size; the file may be damaged.');
  if (width > MEDIA_LIMITS.imageMaxSide || height > MEDIA_LIMITS.imageMaxSide || width * height > MEDIA_LIMITS.imageMaxPixels) {
    throw new MediaRejectedError(
      `The image is ${pixels(width, height)}; Cutline accepts images up to ${MEDIA_LIMITS.imageMaxSide} pixels on a side and ${MEDIA_LIMITS.imageMaxPixels / 1_000_000} megapixels.`,
    );
  }
  return { kind: 'image', video: image, audio: null };
}

function checkVideo(video: VideoStreamInfo): VideoStreamInfo {
  if (video.width <= 0 || video.height <= 0) throw new MediaRejectedError('The video has no readable picture size; the file may be damaged.');
  if (video.width > MEDIA_LIMITS.videoMaxSide || video.height > MEDIA_LIMITS.videoMaxSide) {
    throw new MediaRejectedError(`The video is ${pixels(video.width, video.height)}; Cutline accepts video up to ${MEDIA_LIMITS.videoMaxSide} pixels on a side.`);
  }
  return video;
}

/** Length checks, once the duration is known (from the header or a packet scan). */
export function checkDuration(kind: AssetKind, durationUs: number | null): number | null {
  if (kind === 'image') return null;
  if (durationUs === null || durationUs <= 0) throw new MediaRejectedError(`The ${kind} has no playable length; the file may be empty or damaged.`);
  if (durationUs > MEDIA_LIMITS.maxDurationUs) {
    const hours = (durationUs / 3_600_000_000).toFixed(1);
    throw new MediaRejectedError(`The ${kind} is ${hours} hours long; Cutline accepts media up to ${MEDIA_LIMITS.maxDurationUs / 3_600_000_000} hours.`);
  }
  return durationUs;
}
