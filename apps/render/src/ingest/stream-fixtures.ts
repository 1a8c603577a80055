import type { VideoStreamInfo } from '../ffmpeg/index.ts';

/** A probed 1080p 29.97 H.264 stream for unit tests of the planners. */
export function videoStream(overrides: Partial<VideoStreamInfo> = {}): VideoStreamInfo {
  return {
    index: 0,
    codec: 'h264',
    profile: 'High',
    pixelFormat: 'yuv420p',
    codedWidth: 1920,
    codedHeight: 1080,
    sampleAspectRatio: { num: 1, den: 1 },
    rotation: 0,
    width: 1920,
    height: 1080,
    avgFrameRate: { num: 30000, den: 1001 },
    realFrameRate: { num: 30000, den: 1001 },
    frameCount: null,
    durationUs: 10_000_000,
    hasAlpha: false,
    interlaced: false,
    attachedPicture: false,
    ...overrides,
  };
}
