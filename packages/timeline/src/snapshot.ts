// `snapshot(doc)`: the resolved, plain, deep-frozen JSON view of a timeline (TL9). This
// is where the read-time merge rules live (TL16–TL19): the same document state gives
// the same snapshot on every peer, whatever order its updates arrived in.

import type * as Y from 'yjs';
import { SchemaVersionError } from './errors.ts';
import type { DocIndex } from './doc-index.ts';
import { docIndex } from './doc-index.ts';
import type { AssetRec, ClipKind, ClipRec, FontFamily, TextAlign, TrackKind, TrackRec, TransitionKind, TransitionRec } from './model.ts';
import { SCHEMA_VERSION } from './model.ts';
import { clipEnd, clipPlacementProblem, transitionProblem } from './rules.ts';
import type { Rational } from './time.ts';
import { microsToSeconds, secondsToMicros } from './time.ts';

export interface SnapshotSettings {
  readonly width: number;
  readonly height: number;
  readonly fps: Rational;
  readonly background: string;
  readonly sampleRate: number;
}

export interface SnapshotTrack {
  readonly id: string;
  readonly kind: TrackKind;
  readonly name: string;
  readonly muted: boolean;
  readonly hidden: boolean;
  readonly locked: boolean;
}

export interface SnapshotTextStyle {
  readonly fontFamily: FontFamily;
  readonly fontSize: number;
  readonly color: string;
  readonly background: { readonly color: string; readonly padding: number } | null;
  readonly align: TextAlign;
}

/** A clip as shown: times in seconds, after the overlap rule (TL17). */
export interface SnapshotClip {
  readonly id: string;
  readonly trackId: string;
  readonly kind: ClipKind;
  readonly start: number;
  readonly duration: number;
  /** Source seconds at the clip start (0 for non-media clips). */
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
  readonly style: SnapshotTextStyle | null;
  readonly color: string | null;
}

export interface SnapshotTransition {
  readonly id: string;
  readonly fromClipId: string;
  readonly toClipId: string;
  readonly kind: TransitionKind;
  readonly duration: number;
}

export interface SnapshotMarker {
  readonly id: string;
  readonly time: number;
  readonly label: string;
  readonly color: string;
}

export interface SnapshotAsset {
  readonly id: string;
  readonly kind: AssetRec['kind'];
  readonly name: string;
  readonly duration: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly fps: Rational | null;
  readonly hasAudio: boolean | null;
}

export interface TimelineSnapshot {
  readonly version: typeof SCHEMA_VERSION;
  readonly settings: SnapshotSettings;
  /** End of the last clip, seconds. */
  readonly duration: number;
  /** Bottom to top (TL3). */
  readonly tracks: readonly SnapshotTrack[];
  /** Grouped by track in track order, each track's clips by start (TL9). */
  readonly clips: readonly SnapshotClip[];
  /** Only transitions that take effect (TL18), by id. */
  readonly transitions: readonly SnapshotTransition[];
  /** By time, then id. */
  readonly markers: readonly SnapshotMarker[];
  /** By id. */
  readonly assets: readonly SnapshotAsset[];
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** deepFreeze for a clip, without walking its 19 scalar fields (hot for 10,000 clips). */
function freezeClip(c: SnapshotClip): SnapshotClip {
  if (c.style !== null) {
    if (c.style.background !== null) Object.freeze(c.style.background);
    Object.freeze(c.style);
  }
  return Object.freeze(c);
}

function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byStartThenId(a: ClipRec, b: ClipRec): number {
  return a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const s = microsToSeconds;

function clipToJson(c: ClipRec): SnapshotClip {
  return {
    id: c.id,
    trackId: c.trackId,
    kind: c.kind,
    start: s(c.start),
    duration: s(c.duration),
    sourceIn: s(c.sourceIn),
    speed: c.speed,
    volume: c.volume,
    fadeIn: s(c.fadeIn),
    fadeOut: s(c.fadeOut),
    opacity: c.opacity,
    x: c.x,
    y: c.y,
    scale: c.scale,
    rotation: c.rotation,
    assetId: c.assetId,
    text: c.text,
    style: c.style === null ? null : { ...c.style, background: c.style.background === null ? null : { ...c.style.background } },
    color: c.color,
  };
}

/** The inverse of clipToJson (times back to whole µs). */
export function clipRecFromSnapshot(c: SnapshotClip): ClipRec {
  return {
    ...c,
    start: secondsToMicros(c.start),
    duration: secondsToMicros(c.duration),
    sourceIn: secondsToMicros(c.sourceIn),
    fadeIn: secondsToMicros(c.fadeIn),
    fadeOut: secondsToMicros(c.fadeOut),
  };
}

/** Resolved records in µs; evaluate's index and the invariant checks also use these. */
export interface ResolvedTimeline {
  readonly tracks: readonly TrackRec[];
  readonly clipsByTrack: ReadonlyMap<string, readonly ClipRec[]>;
  readonly transitions: readonly TransitionRec[];
}

/**
 * The read-time rules (TL16–TL19), applied to a DocIndex:
 * - TL16: clips whose track is missing or of the wrong kind, or whose asset is missing,
 *   are not shown.
 * - TL17: on each track, clips sorted by (start, id); a clip that runs into the next one
 *   is cut at the next one's start; a clip cut to nothing is not shown. Fades are
 *   clamped to the clip length (TL15).
 * - TL18/19: transitions, by id, take effect if valid on the resolved clips and neither
 *   clip already has one in that direction.
 */
export function resolve(index: DocIndex): ResolvedTimeline {
  const tracks = index.trackList();
  const asset = (id: string): AssetRec | undefined => index.get('assets', id);
  const candidates = [...index.all('transitions')].sort(byId);
  // Only clips that a transition names need an id lookup; mapping all 10,000 would not.
  const named = new Set<string>();
  for (const t of candidates) named.add(t.fromClipId).add(t.toClipId);
  const clipsByTrack = new Map<string, ClipRec[]>();
  const clipById = new Map<string, ClipRec>();
  for (const track of tracks) {
    const raw: ClipRec[] = [];
    for (const c of index.clipsOnTrack(track.id)) if (clipPlacementProblem(c, track.kind, asset) === null) raw.push(c);
    raw.sort(byStartThenId);
    const shown: ClipRec[] = [];
    for (let i = 0; i < raw.length; i++) {
      let c = raw[i] as ClipRec;
      const next = raw[i + 1];
      if (next !== undefined && clipEnd(c) > next.start) {
        if (next.start <= c.start) continue;
        c = { ...c, duration: next.start - c.start };
      }
      // Concurrent trim + fade edits can leave a fade longer than its clip (TL15).
      if (c.fadeIn > c.duration || c.fadeOut > c.duration) {
        c = { ...c, fadeIn: Math.min(c.fadeIn, c.duration), fadeOut: Math.min(c.fadeOut, c.duration) };
      }
      shown.push(c);
      if (named.has(c.id)) clipById.set(c.id, c);
    }
    clipsByTrack.set(track.id, shown);
  }

  const trackKind = new Map(tracks.map((t) => [t.id, t.kind]));
  const outgoing = new Map<string, TransitionRec>();
  const incoming = new Map<string, TransitionRec>();
  const transitions: TransitionRec[] = [];
  for (const t of candidates) {
    const from = clipById.get(t.fromClipId);
    const to = clipById.get(t.toClipId);
    if (transitionProblem(t, from, to, from === undefined ? undefined : trackKind.get(from.trackId), asset) !== null) continue;
    if (from === undefined || to === undefined) continue;
    if (outgoing.has(from.id) || incoming.has(to.id)) continue;
    outgoing.set(from.id, t);
    incoming.set(to.id, t);
    transitions.push(t);
  }
  return { tracks, clipsByTrack, transitions };
}

function build(index: DocIndex): TimelineSnapshot {
  if (index.schemaVersion !== undefined && index.schemaVersion !== SCHEMA_VERSION) {
    throw new SchemaVersionError(index.schemaVersion, `cannot read schema version ${index.schemaVersion} (this code reads ${SCHEMA_VERSION}; run migrate)`);
  }
  const { tracks, clipsByTrack, transitions } = resolve(index);
  const settings = index.settings();
  const clips: SnapshotClip[] = [];
  let duration = 0;
  for (const track of tracks) {
    for (const c of clipsByTrack.get(track.id) ?? []) {
      clips.push(freezeClip(clipToJson(c)));
      duration = Math.max(duration, clipEnd(c));
    }
  }
  const markers = [...index.all('markers')].sort((a, b) => a.time - b.time || byId(a, b));
  const assets = [...index.all('assets')].sort(byId);
  Object.freeze(clips);
  const snap: TimelineSnapshot = {
    version: SCHEMA_VERSION,
    settings: {
      width: settings.width,
      height: settings.height,
      fps: { num: settings.fps.num, den: settings.fps.den },
      background: settings.background,
      sampleRate: settings.sampleRate,
    },
    duration: s(duration),
    tracks: tracks.map((t) => ({ id: t.id, kind: t.kind, name: t.name, muted: t.muted, hidden: t.hidden, locked: t.locked })),
    clips,
    transitions: transitions.map((t) => ({ id: t.id, fromClipId: t.fromClipId, toClipId: t.toClipId, kind: t.kind, duration: s(t.duration) })),
    markers: markers.map((m) => ({ id: m.id, time: s(m.time), label: m.label, color: m.color })),
    assets: assets.map((a) => ({
      id: a.id,
      kind: a.kind,
      name: a.name,
      duration: a.duration === null ? null : s(a.duration),
      width: a.width,
      height: a.height,
      fps: a.fps === null ? null : { num: a.fps.num, den: a.fps.den },
      hasAudio: a.hasAudio,
    })),
  };
  return deepFreeze(snap);
}

const memo = new WeakMap<DocIndex, { version: number; snapshot: TimelineSnapshot }>();

/**
 * The resolved timeline as frozen JSON. Returns the same object until the document
 * changes, so per-frame callers (`evaluate(snapshot(doc), t)`) hit evaluate's cache.
 * An uninitialised (empty) document reads as an empty timeline with default settings.
 */
export function snapshot(doc: Y.Doc): TimelineSnapshot {
  const index = docIndex(doc);
  const cached = memo.get(index);
  if (cached !== undefined && cached.version === index.version) return cached.snapshot;
  const snap = build(index);
  memo.set(index, { version: index.version, snapshot: snap });
  return snap;
}
