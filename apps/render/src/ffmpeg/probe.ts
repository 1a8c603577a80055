import { parseRational, type Rational } from './rational.ts';

/**
 * ffprobe's JSON (`-show_format -show_streams -of json`), reduced to what Cutline uses.
 * Parsing is pure (probe-run.ts runs the binary) and tolerant: ffprobe omits fields it
 * does not know, and older builds name things differently (rotation).
 */

export type VideoStreamInfo = {
  index: number;
  codec: string;
  profile: string | null;
  pixelFormat: string | null;
  /** Stored size of a frame. */
  codedWidth: number;
  codedHeight: number;
  sampleAspectRatio: Rational | null;
  /** Clockwise degrees a player turns the picture (0, 90, 180 or 270). */
  rotation: 0 | 90 | 180 | 270;
  /** Size as shown: square pixels (SAR applied) and rotation applied. */
  width: number;
  height: number;
  avgFrameRate: Rational | null;
  realFrameRate: Rational | null;
  frameCount: number | null;
  durationUs: number | null;
  hasAlpha: boolean;
  interlaced: boolean;
  /** Cover art in an MP3/M4A: a picture, not a video track. */
  attachedPicture: boolean;
};

export type AudioStreamInfo = {
  index: number;
  codec: string;
  sampleRate: number;
  channels: number;
  channelLayout: string | null;
  durationUs: number | null;
};

export type MediaProbe = {
  version: 1;
  formatName: string;
  formatLongName: string | null;
  durationUs: number | null;
  startTimeUs: number | null;
  bitRate: number | null;
  sizeBytes: number | null;
  video: VideoStreamInfo[];
  audio: AudioStreamInfo[];
  /** Subtitle, data and attachment streams: kept for the record, never used. */
  other: { index: number; type: string; codec: string | null }[];
  /**
   * Width × height an image declares when FFmpeg refused to open it for being too
   * large ("Picture size 30000x30000 is invalid"): ffprobe then reports 0 × 0.
   */
  refusedSize: { width: number; height: number } | null;
};

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};
const int = (v: unknown): number | null => {
  const n = num(v);
  return n === null ? null : Math.trunc(n);
};
const micros = (seconds: unknown): number | null => {
  const s = num(seconds);
  return s === null || s < 0 ? null : Math.round(s * 1_000_000);
};

// Pixel formats with an alpha plane: yuva420p, rgba, bgra, argb, abgr, gbrap, ya8, ya16 …
const ALPHA_PIXEL_FORMAT = /^(yuva|rgba|bgra|argb|abgr|gbrap|ya\d)/;

/**
 * Clockwise rotation from the display matrix side data (newer ffprobe: `rotation` is
 * counter-clockwise degrees, so -90 means "turn 90° clockwise", as iPhones write it) or
 * the `rotate` tag (ffprobe ≤ 4.x, already clockwise). Snapped to a quarter turn.
 */
export function rotationOf(stream: Json): 0 | 90 | 180 | 270 {
  let clockwise: number | null = null;
  const sideData = Array.isArray(stream.side_data_list) ? stream.side_data_list : [];
  for (const entry of sideData.map(obj)) {
    const rotation = num(entry.rotation);
    if (entry.side_data_type === 'Display Matrix' && rotation !== null) clockwise = -rotation;
  }
  if (clockwise === null) clockwise = num(obj(stream.tags).rotate);
  if (clockwise === null) return 0;
  const quarter = ((Math.round(clockwise / 90) % 4) + 4) % 4;
  return ([0, 90, 180, 270] as const)[quarter] ?? 0;
}

function videoStream(stream: Json): VideoStreamInfo {
  const codedWidth = int(stream.width) ?? 0;
  const codedHeight = int(stream.height) ?? 0;
  const sar = parseRational(str(stream.sample_aspect_ratio) ?? undefined);
  const rotation = rotationOf(stream);
  // Anamorphic video (DV, some broadcast) stores narrow pixels: display width = w × SAR.
  const shownWidth = sar && sar.num !== sar.den ? Math.round((codedWidth * sar.num) / sar.den) : codedWidth;
  const turned = rotation === 90 || rotation === 270;
  const pixelFormat = str(stream.pix_fmt);
  const fieldOrder = str(stream.field_order);
  return {
    index: int(stream.index) ?? 0,
    codec: str(stream.codec_name) ?? 'unknown',
    profile: str(stream.profile),
    pixelFormat,
    codedWidth,
    codedHeight,
    sampleAspectRatio: sar,
    rotation,
    width: turned ? codedHeight : shownWidth,
    height: turned ? shownWidth : codedHeight,
    avgFrameRate: parseRational(str(stream.avg_frame_rate) ?? undefined),
    realFrameRate: parseRational(str(stream.r_frame_rate) ?? undefined),
    frameCount: int(stream.nb_frames),
    durationUs: micros(stream.duration),
    // A palette PNG may carry transparency in its palette (tRNS); count it as alpha.
    hasAlpha: pixelFormat !== null && (ALPHA_PIXEL_FORMAT.test(pixelFormat) || (pixelFormat === 'pal8' && stream.codec_name === 'png')),
    interlaced: fieldOrder !== null && ['tt', 'bb', 'tb', 'bt'].includes(fieldOrder),
    attachedPicture: obj(stream.disposition).attached_pic === 1,
  };
}

function audioStream(stream: Json): AudioStreamInfo {
  return {
    index: int(stream.index) ?? 0,
    codec: str(stream.codec_name) ?? 'unknown',
    sampleRate: int(stream.sample_rate) ?? 0,
    channels: int(stream.channels) ?? 0,
    channelLayout: str(stream.channel_layout),
    durationUs: micros(stream.duration),
  };
}

/** Parses ffprobe's JSON output; `stderr` is read for the too-large-image message. */
export function parseProbe(json: unknown, stderr = ''): MediaProbe {
  const root = obj(json);
  const format = obj(root.format);
  const streams = (Array.isArray(root.streams) ? root.streams : []).map(obj);
  const refused = /Picture size (\d+)x(\d+) is invalid/.exec(stderr);
  return {
    version: 1,
    formatName: str(format.format_name) ?? 'unknown',
    formatLongName: str(format.format_long_name),
    durationUs: micros(format.duration),
    startTimeUs: num(format.start_time) === null ? null : Math.round((num(format.start_time) ?? 0) * 1_000_000),
    bitRate: int(format.bit_rate),
    sizeBytes: int(format.size),
    video: streams.filter((s) => s.codec_type === 'video').map(videoStream),
    audio: streams.filter((s) => s.codec_type === 'audio').map(audioStream),
    other: streams
      .filter((s) => s.codec_type !== 'video' && s.codec_type !== 'audio')
      .map((s) => ({ index: int(s.index) ?? 0, type: str(s.codec_type) ?? 'unknown', codec: str(s.codec_name) })),
    refusedSize: refused ? { width: Number(refused[1]), height: Number(refused[2]) } : null,
  };
}
