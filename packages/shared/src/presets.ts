/**
 * The render presets: their names are API (`POST /projects/:id/renders {preset}`), their
 * labels are what the export dialog and the activity toasts show. Browser-safe (no Node
 * imports), so the editor reads the same list the render farm encodes by.
 */
export const PRESET_NAMES = ['mp4-1080p', 'mp4-720p', 'mp4-vertical', 'mp4-square', 'webm-720p', 'gif-480p', 'audio-m4a'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export type VideoCodec = 'h264' | 'vp9' | 'gif';
export type AudioCodec = 'aac' | 'opus';

export type Preset = {
  readonly name: PresetName;
  readonly label: string;
  /** Output file: extension and Content-Type for the download route. */
  readonly extension: 'mp4' | 'webm' | 'gif' | 'm4a';
  readonly contentType: string;
  /**
   * The output frame, or null for audio only. A project of another aspect is fitted
   * inside it (letterbox/pillarbox), never stretched.
   */
  readonly video: {
    readonly codec: VideoCodec;
    readonly width: number;
    readonly height: number;
    /** Frame rate cap (GIF frame delays are whole centiseconds); null = the project's. */
    readonly maxFps: number | null;
    /** CRF of x264 / libvpx-vp9; null for GIF. */
    readonly crf: number | null;
  } | null;
  readonly audio: { readonly codec: AudioCodec; readonly bitrate: number } | null;
  /** Whether a long render of this preset may be split into chunks (GIF palettes and audio-only are single). */
  readonly chunkable: boolean;
};

export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.freeze({
  'mp4-1080p': {
    name: 'mp4-1080p',
    label: 'MP4 1080p (H.264/AAC)',
    extension: 'mp4',
    contentType: 'video/mp4',
    video: { codec: 'h264', width: 1920, height: 1080, maxFps: null, crf: 20 },
    audio: { codec: 'aac', bitrate: 192_000 },
    chunkable: true,
  },
  'mp4-720p': {
    name: 'mp4-720p',
    label: 'MP4 720p (H.264/AAC)',
    extension: 'mp4',
    contentType: 'video/mp4',
    video: { codec: 'h264', width: 1280, height: 720, maxFps: null, crf: 21 },
    audio: { codec: 'aac', bitrate: 160_000 },
    chunkable: true,
  },
  'mp4-vertical': {
    name: 'mp4-vertical',
    label: 'MP4 vertical 1080×1920 (H.264/AAC)',
    extension: 'mp4',
    contentType: 'video/mp4',
    video: { codec: 'h264', width: 1080, height: 1920, maxFps: null, crf: 20 },
    audio: { codec: 'aac', bitrate: 192_000 },
    chunkable: true,
  },
  'mp4-square': {
    name: 'mp4-square',
    label: 'MP4 square 1080×1080 (H.264/AAC)',
    extension: 'mp4',
    contentType: 'video/mp4',
    video: { codec: 'h264', width: 1080, height: 1080, maxFps: null, crf: 20 },
    audio: { codec: 'aac', bitrate: 192_000 },
    chunkable: true,
  },
  'webm-720p': {
    name: 'webm-720p',
    label: 'WebM 720p (VP9/Opus)',
    extension: 'webm',
    contentType: 'video/webm',
    video: { codec: 'vp9', width: 1280, height: 720, maxFps: null, crf: 33 },
    audio: { codec: 'opus', bitrate: 128_000 },
    chunkable: true,
  },
  'gif-480p': {
    name: 'gif-480p',
    label: 'GIF 480p',
    extension: 'gif',
    contentType: 'image/gif',
    video: { codec: 'gif', width: 854, height: 480, maxFps: 15, crf: null },
    audio: null,
    chunkable: false,
  },
  'audio-m4a': {
    name: 'audio-m4a',
    label: 'Audio only (AAC in M4A)',
    extension: 'm4a',
    contentType: 'audio/mp4',
    video: null,
    audio: { codec: 'aac', bitrate: 192_000 },
    chunkable: false,
  },
});

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && (PRESET_NAMES as readonly string[]).includes(value);
}

/** The presets in the order people are offered them. */
export const PRESET_LIST: readonly Preset[] = PRESET_NAMES.map((name) => PRESETS[name]);


/** A preset's label, or the name itself for a preset this build does not know. */
export function presetLabel(name: string): string {
  return isPresetName(name) ? PRESETS[name].label : name;
}
