// The model's vocabulary: kinds, limits, defaults and the internal (microsecond) records
// that commands, snapshots and the document codec share.

import type { Rational } from './time.ts';
import { MICROS_PER_SECOND } from './time.ts';

/** Version of the Y.Doc layout and of the snapshot JSON (TL1, TL9). */
export const SCHEMA_VERSION = 2;

export const TRACK_KINDS = ['video', 'audio', 'text'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

export const CLIP_KINDS = ['video', 'audio', 'image', 'text', 'color'] as const;
export type ClipKind = (typeof CLIP_KINDS)[number];
export type VisualClipKind = Exclude<ClipKind, 'audio'>;

export const ASSET_KINDS = ['video', 'audio', 'image'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export const TRANSITION_KINDS = ['crossfade', 'dipToBlack', 'wipe'] as const;
export type TransitionKind = (typeof TRANSITION_KINDS)[number];

export const TEXT_ALIGNS = ['left', 'center', 'right'] as const;
export type TextAlign = (typeof TEXT_ALIGNS)[number];

/** Font families bundled with preview and render (docs/ARCHITECTURE.md, "Preview and export draw the same picture"); text may use only these. */
export const FONT_FAMILIES = ['Inter', 'Roboto Mono', 'Noto Serif'] as const;
export type FontFamily = (typeof FONT_FAMILIES)[number];

export const COLOR_PATTERN = '^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$';

/** Limits (TL42). Commands that would exceed one throw `LimitExceededError`. */
export const LIMITS = {
  tracks: 200,
  clips: 20_000,
  transitions: 20_000,
  markers: 1_000,
  assets: 10_000,
  textLength: 5_000,
  nameLength: 500,
  batchCommands: 1_000,
} as const;

/** Allowed ranges of numeric fields (TL14); commands reject, reads clamp (TL8). */
export const RANGES = {
  volume: { min: 0, max: 4 },
  opacity: { min: 0, max: 1 },
  x: { min: -10, max: 10 },
  y: { min: -10, max: 10 },
  scale: { min: 0.01, max: 100 },
  rotation: { min: -3600, max: 3600 },
  speed: { min: 0.25, max: 4 },
  fontSize: { min: 1, max: 2000 },
  boxPadding: { min: 0, max: 1000 },
  dimension: { min: 16, max: 8192 },
  sampleRate: { min: 8000, max: 192_000 },
  fpsTerm: { min: 1, max: 1_000_000 },
  fpsValue: { min: 1, max: 240 },
  /** Probed media can report odd rates (high-speed, bogus timebases); they are facts, not settings. */
  assetFpsValue: { min: 0.001, max: 1000 },
} as const;

/** Clip kinds a track of each kind may hold (TL12). */
export const TRACK_ACCEPTS: Readonly<Record<TrackKind, readonly ClipKind[]>> = {
  video: ['video', 'image', 'color', 'text'],
  text: ['text'],
  audio: ['audio'],
};

export function trackAccepts(track: TrackKind, clip: ClipKind): boolean {
  return TRACK_ACCEPTS[track].includes(clip);
}

export interface TextBox {
  readonly color: string;
  readonly padding: number;
}

export interface TextStyle {
  readonly fontFamily: FontFamily;
  /** Pixels at the project resolution. */
  readonly fontSize: number;
  readonly color: string;
  readonly background: TextBox | null;
  readonly align: TextAlign;
}

export interface SettingsRec {
  readonly width: number;
  readonly height: number;
  readonly fps: Rational;
  readonly background: string;
  readonly sampleRate: number;
}

export interface TrackRec {
  readonly id: string;
  readonly kind: TrackKind;
  readonly name: string;
  readonly order: string;
  readonly muted: boolean;
  readonly hidden: boolean;
  readonly locked: boolean;
}

/** A clip with times in integer microseconds (`sourceIn` may be fractional after speed). */
export interface ClipRec {
  readonly id: string;
  readonly trackId: string;
  readonly kind: ClipKind;
  readonly start: number;
  readonly duration: number;
  readonly sourceIn: number;
  readonly speed: number;
  readonly volume: number;
  readonly fadeIn: number;
  readonly fadeOut: number;
  readonly opacity: number;
  readonly x: number;
  readonly y: number;
  readonly scale: number;
  readonly rotation: number;
  readonly assetId: string | null;
  readonly text: string | null;
  readonly style: TextStyle | null;
  readonly color: string | null;
}

export interface TransitionRec {
  readonly id: string;
  readonly fromClipId: string;
  readonly toClipId: string;
  readonly kind: TransitionKind;
  readonly duration: number;
}

export interface MarkerRec {
  readonly id: string;
  readonly time: number;
  readonly label: string;
  readonly color: string;
}

export interface AssetRec {
  readonly id: string;
  readonly kind: AssetKind;
  readonly name: string;
  /** Microseconds; null until ingest has probed the file, always null for images. */
  readonly duration: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly fps: Rational | null;
  readonly hasAudio: boolean | null;
}

export const DEFAULT_SETTINGS: SettingsRec = Object.freeze({
  width: 1920,
  height: 1080,
  fps: Object.freeze({ num: 30, den: 1 }),
  background: '#000000',
  sampleRate: 48_000,
});

export const DEFAULT_TEXT_STYLE: TextStyle = Object.freeze({
  fontFamily: 'Inter',
  fontSize: 64,
  color: '#ffffff',
  background: null,
  align: 'center',
});

export const DEFAULT_MARKER_COLOR = '#ffcc00';

/** Images have no natural length; a new image clip lasts this long unless told (TL13). */
export const DEFAULT_IMAGE_DURATION_US = 5 * MICROS_PER_SECOND;

/** Fields every clip kind has, at their defaults. */
export const CLIP_DEFAULTS = Object.freeze({
  sourceIn: 0,
  speed: 1,
  volume: 1,
  fadeIn: 0,
  fadeOut: 0,
  opacity: 1,
  x: 0.5,
  y: 0.5,
  scale: 1,
  rotation: 0,
});

/** Which `updateClip` fields apply to which clip kinds (TL15). */
export const CLIP_FIELD_KINDS = {
  volume: ['video', 'audio'],
  speed: ['video', 'audio'],
  sourceIn: ['video', 'audio'],
  fadeIn: ['video', 'audio', 'image', 'text', 'color'],
  fadeOut: ['video', 'audio', 'image', 'text', 'color'],
  opacity: ['video', 'image', 'text', 'color'],
  x: ['video', 'image', 'text', 'color'],
  y: ['video', 'image', 'text', 'color'],
  scale: ['video', 'image', 'text', 'color'],
  rotation: ['video', 'image', 'text', 'color'],
  text: ['text'],
  style: ['text'],
  color: ['color'],
} as const satisfies Record<string, readonly ClipKind[]>;

export function isMediaKind(kind: ClipKind): kind is 'video' | 'audio' {
  return kind === 'video' || kind === 'audio';
}

export function normalizeColor(color: string): string {
  return color.toLowerCase();
}
