import type { AudioStreamInfo, FfmpegArgs, Rational, VideoStreamInfo } from '../ffmpeg/index.ts';
import { formatRational, toNumber } from '../ffmpeg/index.ts';

/**
 * The edit-friendly proxy (docs/ARCHITECTURE.md, "How an upload travels"): what the browser previews and seeks in. H.264
 * High + AAC in MP4 plays everywhere WebCodecs does; ≤ 720p keeps decoding cheap; a
 * keyframe at least every second makes any seek decode under a second of frames.
 */
export const PROXY = {
  /** 720p: the short side at most 720, the long side at most 1280 (portrait stays portrait). */
  maxShortSide: 720,
  maxLongSide: 1280,
  /** Slow motion above 60 fps previews at 60. */
  maxFps: 60,
  keyframeIntervalSeconds: 1,
  crf: 23,
  preset: 'veryfast',
  audioBitrate: '128k',
  audioSampleRate: 48_000,
} as const;

/** Image proxies fit in this square: enough for a 1080p preview, light to decode. */
export const IMAGE_PROXY_MAX_SIDE = 2048;

const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);

/**
 * Scales `width × height` down (never up) to fit the box, keeping the aspect. x264 and
 * 4:2:0 chroma need even sizes, so each side rounds down to a multiple of 2.
 */
export function fitWithin({ width, height, maxLong, maxShort }: { width: number; height: number; maxLong: number; maxShort: number }): {
  width: number;
  height: number;
} {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const scale = Math.min(1, maxLong / long, maxShort / short);
  return { width: even(width * scale), height: even(height * scale) };
}

export type ProxyPlan = { args: FfmpegArgs; width: number; height: number; fps: Rational };

/**
 * Video proxy arguments. `video.width/height` are the displayed size (rotation and pixel
 * aspect applied), which is what the proxy gets: ffmpeg's autorotate (on by default in
 * every version since 2.7) turns the frames upright before our filters run and drops the
 * rotation from the output, so the proxy needs no rotation metadata. `fps` converts
 * variable-rate sources to a constant rate, so every proxy frame sits on the timeline's
 * frame grid and the GOP length in frames is a fixed time.
 */
export function planVideoProxy({ video, audio, fps }: { video: VideoStreamInfo; audio: AudioStreamInfo | null; fps: Rational }): ProxyPlan {
  const size = fitWithin({ width: video.width, height: video.height, maxLong: PROXY.maxLongSide, maxShort: PROXY.maxShortSide });
  const proxyFps = toNumber(fps) > PROXY.maxFps ? { num: PROXY.maxFps, den: 1 } : fps;
  // floor: at 29.97 fps, 30 frames would be 1.001 s; 29 frames keep every gap under 1 s.
  const gop = Math.max(1, Math.floor(toNumber(proxyFps) * PROXY.keyframeIntervalSeconds));
  const filters = [
    ...(video.interlaced ? ['yadif'] : []),
    `fps=${formatRational(proxyFps)}`,
    `scale=${size.width}:${size.height}`,
    // Anamorphic sources are resampled to square pixels above; say so in the stream.
    'setsar=1',
  ];
  const outputOptions = [
    '-map', `0:${video.index}`,
    ...(audio ? ['-map', `0:${audio.index}`] : []),
    '-vf', filters.join(','),
    '-c:v', 'libx264',
    '-preset', PROXY.preset,
    '-crf', String(PROXY.crf),
    '-profile:v', 'high',
    // 10-bit HEVC/VP9 sources would otherwise give High 10, which browsers do not decode.
    '-pix_fmt', 'yuv420p',
    // Fixed GOP, no scene-cut keyframes: a keyframe exactly every `gop` frames.
    '-g', String(gop),
    '-keyint_min', String(gop),
    '-sc_threshold', '0',
    ...(audio
      ? ['-c:a', 'aac', '-b:a', PROXY.audioBitrate, '-ac', String(Math.min(2, Math.max(1, audio.channels))), '-ar', String(PROXY.audioSampleRate)]
      : ['-an']),
    '-sn', '-dn',
    '-map_metadata', '-1',
    '-map_chapters', '-1',
    // The index (moov) at the front: the browser can start reading without a second request.
    '-movflags', '+faststart',
    '-f', 'mp4',
  ];
  return { args: { inputOptions: [], outputOptions }, width: size.width, height: size.height, fps: proxyFps };
}

/** Audio proxy: AAC in MP4 (.m4a). Browsers decode it everywhere, whatever the source codec. */
export function planAudioProxy({ audio }: { audio: AudioStreamInfo }): { args: FfmpegArgs } {
  return {
    args: {
      inputOptions: [],
      outputOptions: [
        '-map', `0:${audio.index}`,
        '-vn', '-sn', '-dn',
        '-c:a', 'aac',
        '-b:a', PROXY.audioBitrate,
        '-ac', String(Math.min(2, Math.max(1, audio.channels))),
        '-ar', String(PROXY.audioSampleRate),
        '-map_metadata', '-1',
        '-movflags', '+faststart',
        '-f', 'mp4',
      ],
    },
  };
}

export type ImageProxyPlan = { args: FfmpegArgs; width: number; height: number; extension: 'png' | 'jpg' };

/**
 * A normalized still for the browser: PNG when the source has alpha (keeps transparency),
 * JPEG otherwise; at most 2048 px a side. Decoding a 50 MP camera JPEG on every preview
 * frame would be slow, and formats like TIFF or BMP do not load in every browser.
 */
export function planImageProxy({ image }: { image: VideoStreamInfo }): ImageProxyPlan {
  const size = fitWithin({ width: image.width, height: image.height, maxLong: IMAGE_PROXY_MAX_SIDE, maxShort: IMAGE_PROXY_MAX_SIDE });
  return { ...stillArgs({ image, width: size.width, height: size.height }), ...size };
}

/** One still frame scaled to `width × height`, as PNG (alpha) or JPEG. */
export function stillArgs({ image, width, height }: { image: VideoStreamInfo; width: number; height: number }): {
  args: FfmpegArgs;
  extension: 'png' | 'jpg';
} {
  const codec = image.hasAlpha
    ? ['-c:v', 'png', '-pix_fmt', 'rgba']
    : // FFmpeg 4.x's MJPEG encoder wants full-range "yuvj" input; later versions accept it too.
      ['-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p'];
  return {
    extension: image.hasAlpha ? 'png' : 'jpg',
    args: {
      inputOptions: [],
      outputOptions: [
        '-map', `0:${image.index}`,
        '-frames:v', '1',
        '-vf', `scale=${width}:${height},setsar=1`,
        ...codec,
        '-map_metadata', '-1',
        // One picture into one file; without -update, FFmpeg 5+ warns the name has no %d.
        '-f', 'image2', '-update', '1',
      ],
    },
  };
}
