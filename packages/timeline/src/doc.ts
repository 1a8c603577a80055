// The Y.Doc layout (TL1–TL4) and the codec between Y.Maps and plain records. Reads are
// defensive (TL8): a document may contain anything a buggy or hostile peer wrote, so
// every field is type-checked and clamped, and an entity missing a required field is
// ignored rather than trusted.

import * as Y from 'yjs';
import type { Rational } from './time.ts';
import { MAX_TIME_US } from './time.ts';
import { isOrderKey } from './fractional-index.ts';
import { codePointLength } from './validator.ts';
import { COMMAND_VALIDATORS } from './commands/schema.ts';
import { InvalidCommandError } from './errors.ts';
import {
  ASSET_KINDS,
  CLIP_DEFAULTS,
  CLIP_KINDS,
  DEFAULT_MARKER_COLOR,
  DEFAULT_SETTINGS,
  DEFAULT_TEXT_STYLE,
  FONT_FAMILIES,
  LIMITS,
  RANGES,
  SCHEMA_VERSION,
  TEXT_ALIGNS,
  TRACK_KINDS,
  TRANSITION_KINDS,
} from './model.ts';
import type { AssetRec, ClipRec, MarkerRec, SettingsRec, TextStyle, TrackRec, TransitionRec } from './model.ts';
import type { TimelineOrigin } from './origin.ts';
import { MIGRATION_ORIGIN } from './origin.ts';

export const ROOT_NAMES = ['meta', 'settings', 'tracks', 'clips', 'transitions', 'markers', 'assets'] as const;
export type Collection = 'tracks' | 'clips' | 'transitions' | 'markers' | 'assets';
export const COLLECTIONS: readonly Collection[] = ['tracks', 'clips', 'transitions', 'markers', 'assets'];

export interface RecordTypes {
  tracks: TrackRec;
  clips: ClipRec;
  transitions: TransitionRec;
  markers: MarkerRec;
  assets: AssetRec;
}

export interface Roots {
  readonly meta: Y.Map<unknown>;
  readonly settings: Y.Map<unknown>;
  readonly tracks: Y.Map<unknown>;
  readonly clips: Y.Map<unknown>;
  readonly transitions: Y.Map<unknown>;
  readonly markers: Y.Map<unknown>;
  readonly assets: Y.Map<unknown>;
}

export function getRoots(doc: Y.Doc): Roots {
  return {
    meta: doc.getMap('meta'),
    settings: doc.getMap('settings'),
    tracks: doc.getMap('tracks'),
    clips: doc.getMap('clips'),
    transitions: doc.getMap('transitions'),
    markers: doc.getMap('markers'),
    assets: doc.getMap('assets'),
  };
}

export function getSchemaVersion(doc: Y.Doc): number | undefined {
  const v = doc.getMap('meta').get('schemaVersion');
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

// ---------------------------------------------------------------- field readers

/** An entity's fields as a plain record, whatever the storage (TL4). */
export type FieldMap = { readonly [key: string]: unknown };

/**
 * An entity map stores the values it was created with in one value under `init`, and
 * each later edit under the field's own key, which wins over `init` (TL4). Creation is
 * then one Yjs item instead of twenty, and concurrent edits of different fields still
 * merge key by key. Undoing an edit deletes the key, so the `init` value shows through.
 *
 * `init` is written as JSON text (TL4a): Yjs decodes a string value with one UTF-8 decode,
 * where an object costs one per key and per string value (nine for a media clip), which
 * made decoding a 10,000-clip document the slowest part of opening it. Documents written
 * before store the same object as a Yjs value; both read the same.
 */
export const INIT_KEY = 'init';

const EMPTY: FieldMap = Object.freeze({});

function isFieldMap(v: unknown): v is FieldMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields of an `init` value: JSON text, or an object in older documents (TL4a, TL8). */
export function initFields(value: unknown): FieldMap {
  if (typeof value === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return EMPTY;
    }
    return isFieldMap(parsed) ? parsed : EMPTY;
  }
  return isFieldMap(value) ? value : EMPTY;
}

export function entityFields(m: Y.Map<unknown>): FieldMap {
  let init: FieldMap = EMPTY;
  let edits: Array<[string, unknown]> | null = null;
  // One pass over the map instead of a Y lookup per field: reading 10,000 clips is hot.
  m.forEach((value, key) => {
    if (key === INIT_KEY) init = initFields(value);
    else (edits ??= []).push([key, value]);
  });
  if (edits === null) return init;
  const merged: Record<string, unknown> = { ...init };
  for (const [key, value] of edits as Array<[string, unknown]>) merged[key] = value;
  return merged;
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function clampNum(v: unknown, min: number, max: number, fallback: number): number {
  if (!finite(v)) return fallback;
  return v < min ? min : v > max ? max : v;
}

function intIn(v: unknown, min: number, max: number): number | null {
  return finite(v) && Number.isInteger(v) && v >= min && v <= max ? v : null;
}

function str(v: unknown, maxLength: number, fallback: string): string {
  if (typeof v !== 'string') return fallback;
  if (v.length <= maxLength || codePointLength(v) <= maxLength) return v;
  return [...v].slice(0, maxLength).join('');
}

function oneOfOr<T extends string>(v: unknown, values: readonly T[], fallback: T): T {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** The matching constant (not `v`), so records share one string per kind. */
function oneOfOrNull<T extends string>(v: unknown, values: readonly T[]): T | null {
  if (typeof v !== 'string') return null;
  const i = (values as readonly string[]).indexOf(v);
  return i < 0 ? null : (values[i] as T);
}

const COLOR_REGEX = /^#([0-9a-f]{6}|[0-9a-f]{8})$/;
function color(v: unknown, fallback: string): string {
  return typeof v === 'string' && COLOR_REGEX.test(v) ? v : fallback;
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

/** A project frame rate (TL20), or with `range` another bound (asset facts, TL7). */
export function isValidFps(v: unknown, range: { min: number; max: number } = RANGES.fpsValue): v is Rational {
  if (typeof v !== 'object' || v === null) return false;
  const { num, den } = v as { num?: unknown; den?: unknown };
  const n = intIn(num, RANGES.fpsTerm.min, RANGES.fpsTerm.max);
  const d = intIn(den, RANGES.fpsTerm.min, RANGES.fpsTerm.max);
  if (n === null || d === null) return false;
  return n / d >= range.min && n / d <= range.max;
}

function fps(v: unknown, range: { min: number; max: number } = RANGES.fpsValue): Rational | null {
  if (!isValidFps(v, range)) return null;
  return Object.freeze({ num: v.num, den: v.den });
}

// ---------------------------------------------------------------- records from Y

export function readSettings(m: FieldMap): SettingsRec {
  const d = DEFAULT_SETTINGS;
  const width = intIn(m['width'], RANGES.dimension.min, RANGES.dimension.max);
  const height = intIn(m['height'], RANGES.dimension.min, RANGES.dimension.max);
  const sampleRate = intIn(m['sampleRate'], RANGES.sampleRate.min, RANGES.sampleRate.max);
  return Object.freeze({
    width: width ?? d.width,
    height: height ?? d.height,
    fps: fps(m['fps']) ?? d.fps,
    background: color(m['background'], d.background),
    sampleRate: sampleRate ?? d.sampleRate,
  });
}

export function readTrack(id: string, m: FieldMap): TrackRec | null {
  const kind = oneOfOrNull(m['kind'], TRACK_KINDS);
  if (kind === null) return null;
  const order = m['order'];
  return {
    id,
    kind,
    name: str(m['name'], LIMITS.nameLength, ''),
    order: isOrderKey(order) ? order : '',
    muted: bool(m['muted'], false),
    hidden: bool(m['hidden'], false),
    locked: bool(m['locked'], false),
  };
}

function readStyle(m: FieldMap): TextStyle {
  const d = DEFAULT_TEXT_STYLE;
  const boxColor = m['style.boxColor'];
  return {
    fontFamily: oneOfOr(m['style.fontFamily'], FONT_FAMILIES, d.fontFamily),
    fontSize: clampNum(m['style.fontSize'], RANGES.fontSize.min, RANGES.fontSize.max, d.fontSize),
    color: color(m['style.color'], d.color),
    background:
      typeof boxColor === 'string' && COLOR_REGEX.test(boxColor)
        ? { color: boxColor, padding: clampNum(m['style.boxPadding'], RANGES.boxPadding.min, RANGES.boxPadding.max, 0) }
        : null,
    align: oneOfOr(m['style.align'], TEXT_ALIGNS, d.align),
  };
}

export function readClip(id: string, m: FieldMap): ClipRec | null {
  const trackId = m['trackId'];
  const kind = oneOfOrNull(m['kind'], CLIP_KINDS);
  const start = intIn(m['start'], 0, MAX_TIME_US);
  const duration = intIn(m['duration'], 1, MAX_TIME_US);
  if (typeof trackId !== 'string' || kind === null || start === null || duration === null) return null;
  const c = CLIP_DEFAULTS;
  const media = kind === 'video' || kind === 'audio';
  const assetId = m['assetId'];
  return {
    id,
    trackId,
    kind,
    start,
    duration,
    sourceIn: media ? clampNum(m['sourceIn'], 0, MAX_TIME_US * RANGES.speed.max, 0) : 0,
    speed: media ? clampNum(m['speed'], RANGES.speed.min, RANGES.speed.max, c.speed) : 1,
    volume: media ? clampNum(m['volume'], RANGES.volume.min, RANGES.volume.max, c.volume) : 1,
    fadeIn: clampNum(m['fadeIn'], 0, MAX_TIME_US, 0),
    fadeOut: clampNum(m['fadeOut'], 0, MAX_TIME_US, 0),
    opacity: clampNum(m['opacity'], RANGES.opacity.min, RANGES.opacity.max, c.opacity),
    x: clampNum(m['x'], RANGES.x.min, RANGES.x.max, c.x),
    y: clampNum(m['y'], RANGES.y.min, RANGES.y.max, c.y),
    scale: clampNum(m['scale'], RANGES.scale.min, RANGES.scale.max, c.scale),
    rotation: clampNum(m['rotation'], RANGES.rotation.min, RANGES.rotation.max, c.rotation),
    assetId: media || kind === 'image' ? (typeof assetId === 'string' ? assetId : null) : null,
    text: kind === 'text' ? str(m['text'], LIMITS.textLength, '') : null,
    style: kind === 'text' ? readStyle(m) : null,
    color: kind === 'color' ? color(m['color'], '#000000') : null,
  };
}

export function readTransition(id: string, m: FieldMap): TransitionRec | null {
  const fromClipId = m['fromClipId'];
  const toClipId = m['toClipId'];
  const kind = oneOfOrNull(m['kind'], TRANSITION_KINDS);
  const duration = intIn(m['duration'], 1, MAX_TIME_US);
  if (typeof fromClipId !== 'string' || typeof toClipId !== 'string' || kind === null || duration === null) return null;
  return { id, fromClipId, toClipId, kind, duration };
}

export function readMarker(id: string, m: FieldMap): MarkerRec | null {
  const time = intIn(m['time'], 0, MAX_TIME_US);
  if (time === null) return null;
  return { id, time, label: str(m['label'], LIMITS.nameLength, ''), color: color(m['color'], DEFAULT_MARKER_COLOR) };
}

export function readAsset(id: string, m: FieldMap): AssetRec | null {
  const kind = oneOfOrNull(m['kind'], ASSET_KINDS);
  if (kind === null) return null;
  const duration = m['duration'];
  const hasAudio = m['hasAudio'];
  return {
    id,
    kind,
    name: str(m['name'], LIMITS.nameLength, ''),
    duration: kind !== 'image' && finite(duration) && duration > 0 ? Math.min(Math.round(duration), MAX_TIME_US) : null,
    width: intIn(m['width'], 1, 65_535),
    height: intIn(m['height'], 1, 65_535),
    fps: fps(m['fps'], RANGES.assetFpsValue),
    hasAudio: kind === 'image' ? false : kind === 'audio' ? true : typeof hasAudio === 'boolean' ? hasAudio : null,
  };
}

export type Reader<C extends Collection> = (id: string, m: FieldMap) => RecordTypes[C] | null;

export const READERS: { readonly [C in Collection]: Reader<C> } = {
  tracks: readTrack,
  clips: readClip,
  transitions: readTransition,
  markers: readMarker,
  assets: readAsset,
};

// ---------------------------------------------------------------- records to Y fields

export type Fields = Array<[string, unknown]>;

function styleFields(style: TextStyle, out: Fields): void {
  out.push(
    ['style.fontFamily', style.fontFamily],
    ['style.fontSize', style.fontSize],
    ['style.color', style.color],
    ['style.boxColor', style.background === null ? null : style.background.color],
    ['style.boxPadding', style.background === null ? 0 : style.background.padding],
    ['style.align', style.align],
  );
}

/** Y fields for a (partial) record; `id` is the map key, never a field. */
export function encodeFields<C extends Collection>(coll: C, rec: Partial<RecordTypes[C]>): Fields {
  const out: Fields = [];
  for (const [key, value] of Object.entries(rec)) {
    if (key === 'id' || value === undefined) continue;
    if (coll === 'clips') {
      if (key === 'style') {
        if (value !== null) styleFields(value as TextStyle, out);
        continue;
      }
    }
    out.push([key, value]);
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/**
 * Values a field reads as when absent (TL4a); `init` leaves them out to stay small. Only
 * keys whose fallback is the same in every collection that has them (not `color`: clips
 * and markers differ).
 */
const IMPLICIT: Readonly<Record<string, unknown>> = {
  ...CLIP_DEFAULTS,
  'style.fontFamily': DEFAULT_TEXT_STYLE.fontFamily,
  'style.fontSize': DEFAULT_TEXT_STYLE.fontSize,
  'style.color': DEFAULT_TEXT_STYLE.color,
  'style.boxPadding': 0,
  'style.align': DEFAULT_TEXT_STYLE.align,
  name: '',
  label: '',
  muted: false,
  hidden: false,
  locked: false,
};

/** A new entity map: all creation values in `init`, as JSON text (TL4, TL4a). */
export function createEntityMap(fields: Fields): Y.Map<unknown> {
  const init: Record<string, unknown> = {};
  for (const [key, value] of fields) {
    if (value === null || (Object.hasOwn(IMPLICIT, key) && IMPLICIT[key] === value)) continue;
    init[key] = value;
  }
  return new Y.Map<unknown>([[INIT_KEY, JSON.stringify(init)]]);
}

/** Write only the fields whose value differs, so unrelated concurrent edits keep merging. */
export function setChangedFields(m: Y.Map<unknown>, fields: Fields): void {
  const current = entityFields(m);
  for (const [key, value] of fields) {
    const old = current[key] ?? (Object.hasOwn(IMPLICIT, key) ? IMPLICIT[key] : undefined);
    if (!sameValue(old, value ?? undefined)) m.set(key, value);
  }
}

/** Settings live directly in the root `settings` map, one key per field (TL4). */
export function setSettingsFields(m: Y.Map<unknown>, fields: Fields): void {
  for (const [key, value] of fields) {
    if (!sameValue(m.get(key), value)) m.set(key, value);
  }
}

export function settingsFields(patch: Partial<SettingsRec>): Fields {
  const out: Fields = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) out.push([key, typeof value === 'object' ? { num: value.num, den: value.den } : value]);
  }
  return out;
}

// ---------------------------------------------------------------- creating documents

export interface CreateTimelineDocOptions {
  settings?: Partial<SettingsRec>;
  origin?: TimelineOrigin;
  gc?: boolean;
}

/** Settings passed in code get the same checks as `setSettings` (TL14, TL20). */
function checkSettings(settings: Partial<SettingsRec>): void {
  if (Object.keys(settings).length === 0) return;
  COMMAND_VALIDATORS.setSettings.parse({ type: 'setSettings', ...settings }, 'settings');
  if (settings.fps !== undefined && !isValidFps(settings.fps)) {
    throw new InvalidCommandError('settings.fps', `frame rate must be between ${RANGES.fpsValue.min} and ${RANGES.fpsValue.max} fps`);
  }
}

/** Write the schema version and settings into an empty doc (TL1). */
export function initTimelineDoc(doc: Y.Doc, options: CreateTimelineDocOptions = {}): void {
  checkSettings(options.settings ?? {});
  const roots = getRoots(doc);
  doc.transact(() => {
    roots.meta.set('schemaVersion', SCHEMA_VERSION);
    setSettingsFields(roots.settings, settingsFields({ ...DEFAULT_SETTINGS, ...options.settings }));
  }, options.origin ?? MIGRATION_ORIGIN);
}

/** A fresh, initialised timeline document. */
export function createTimelineDoc(options: CreateTimelineDocOptions = {}): Y.Doc {
  const doc = new Y.Doc(options.gc === undefined ? {} : { gc: options.gc });
  initTimelineDoc(doc, options);
  return doc;
}
