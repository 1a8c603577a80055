// Shared helpers for command planning: lookups that throw the named errors, snapping
// of public seconds onto the frame grid, limits, and transition pruning.

import { ConflictError, InvalidCommandError, LimitExceededError, TrackLockedError, UnknownIdError } from '../errors.ts';
import type { IdGenerator } from '../ids.ts';
import type { Collection } from '../doc.ts';
import type { AssetRec, ClipRec, TrackRec, TransitionRec } from '../model.ts';
import { LIMITS } from '../model.ts';
import { clipPlacementProblem, transitionProblem } from '../rules.ts';
import type { Overlay } from '../state.ts';
import { MAX_TIME_US, secondsToMicros, snapLengthMicros, snapPointMicros } from '../time.ts';

export interface PlanContext {
  readonly ov: Overlay;
  readonly ids: IdGenerator;
}

const ENTITY: Record<Collection, string> = { tracks: 'track', clips: 'clip', transitions: 'transition', markers: 'marker', assets: 'asset' };
const LIMIT: Record<Collection, number> = {
  tracks: LIMITS.tracks,
  clips: LIMITS.clips,
  transitions: LIMITS.transitions,
  markers: LIMITS.markers,
  assets: LIMITS.assets,
};

/** A fresh id not used in `coll` (generators are random; tests inject sequences). */
export function newId(ctx: PlanContext, coll: Collection): string {
  for (let i = 0; i < 8; i++) {
    const id = ctx.ids();
    if (ctx.ov.get(coll, id) === undefined) return id;
  }
  throw new ConflictError(`could not generate a free ${ENTITY[coll]} id`);
}

export function checkLimit(ctx: PlanContext, coll: Collection, adding = 1): void {
  if (ctx.ov.count(coll) + adding > LIMIT[coll]) throw new LimitExceededError(`${ENTITY[coll]}s`, LIMIT[coll]);
}

export function requireTrack(ctx: PlanContext, id: string): TrackRec {
  const t = ctx.ov.get('tracks', id);
  if (t === undefined) throw new UnknownIdError('track', id);
  return t;
}

export function requireUnlockedTrack(ctx: PlanContext, id: string): TrackRec {
  const t = requireTrack(ctx, id);
  if (t.locked) throw new TrackLockedError(id);
  return t;
}

export function requireAsset(ctx: PlanContext, id: string): AssetRec {
  const a = ctx.ov.get('assets', id);
  if (a === undefined) throw new UnknownIdError('asset', id);
  return a;
}

/** A clip that is shown (its track and asset exist, TL16); commands see nothing else. */
export function requireClip(ctx: PlanContext, id: string): { clip: ClipRec; track: TrackRec } {
  const clip = ctx.ov.get('clips', id);
  const track = clip === undefined ? undefined : ctx.ov.get('tracks', clip.trackId);
  if (clip === undefined || track === undefined || clipPlacementProblem(clip, track.kind, (a) => ctx.ov.get('assets', a)) !== null) {
    throw new UnknownIdError('clip', id);
  }
  return { clip, track };
}

/** Like requireClip, and its track must not be locked (TL11). */
export function requireEditableClip(ctx: PlanContext, id: string): { clip: ClipRec; track: TrackRec } {
  const found = requireClip(ctx, id);
  if (found.track.locked) throw new TrackLockedError(found.track.id);
  return found;
}

export function fpsOf(ctx: PlanContext): { num: number; den: number } {
  return ctx.ov.settings().fps;
}

/** A public time in seconds → µs on the frame grid (TL22). */
export function snapPoint(ctx: PlanContext, seconds: number): number {
  return snapPointMicros(secondsToMicros(seconds), fpsOf(ctx));
}

/** A public length in seconds → whole frames in µs (TL22). */
export function snapLength(ctx: PlanContext, seconds: number): number {
  return snapLengthMicros(secondsToMicros(seconds), fpsOf(ctx));
}

/**
 * Snapped [start, end) of a span given in public seconds. Both edges are snapped from the
 * raw values (TL22), so clips placed end to end in seconds stay end to end on the grid.
 */
export function snapSpan(ctx: PlanContext, path: string, startSeconds: number, durationSeconds: number): { start: number; end: number } {
  const fps = fpsOf(ctx);
  const rawStart = secondsToMicros(startSeconds);
  const start = snapPointMicros(rawStart, fps);
  const end = snapPointMicros(rawStart + secondsToMicros(durationSeconds), fps);
  if (end <= start) throw new InvalidCommandError(path, 'shorter than one frame');
  if (end > MAX_TIME_US) throw new InvalidCommandError(path, 'ends after the 24 h timeline limit');
  return { start, end };
}

/** Refuse to create an overlap on a track (TL17): only merges may produce one. */
export function assertFree(ctx: PlanContext, trackId: string, start: number, end: number, ignore: ReadonlySet<string>): void {
  if (end > MAX_TIME_US) throw new InvalidCommandError('', 'clip would end after the 24 h timeline limit');
  const other = ctx.ov.findOverlap(trackId, start, end, (id) => ignore.has(id));
  if (other !== undefined) {
    throw new ConflictError(`clip would overlap clip ${JSON.stringify(other.id)} on track ${JSON.stringify(trackId)}`);
  }
}

/** Fades shrink to fit after a trim or split (TL15): fadeIn first, then fadeOut. */
export function fitFades(fadeIn: number, fadeOut: number, duration: number): { fadeIn: number; fadeOut: number } {
  const fi = Math.min(fadeIn, duration);
  return { fadeIn: fi, fadeOut: Math.min(fadeOut, duration - fi) };
}

/**
 * After an edit, delete transitions of the touched clips that no longer hold (TL19):
 * clips moved apart, handles trimmed away, a clip now shorter than its transition. Of two
 * transitions that compete for one clip end the one with the larger id goes, as on read.
 */
export function pruneTransitions(ctx: PlanContext, clipIds: Iterable<string>): void {
  const ov = ctx.ov;
  const asset = (id: string): AssetRec | undefined => ov.get('assets', id);
  for (const clipId of clipIds) {
    const ts = ov.transitionsOfClip(clipId).sort((a, b) => (a.id < b.id ? -1 : 1));
    const kept: TransitionRec[] = [];
    for (const t of ts) {
      const from = ov.get('clips', t.fromClipId);
      const to = ov.get('clips', t.toClipId);
      const trackKind = from === undefined ? undefined : ov.get('tracks', from.trackId)?.kind;
      let ok = transitionProblem(t, from, to, trackKind, asset) === null;
      // One transition out of and one into each clip (TL19).
      for (const k of kept) if ((k.fromClipId === clipId) === (t.fromClipId === clipId)) ok = false;
      if (ok) kept.push(t);
      else ov.delete('transitions', t.id);
    }
  }
}

/** Delete a clip and every transition that refers to it. */
export function deleteClip(ctx: PlanContext, clipId: string): void {
  for (const t of ctx.ov.transitionsOfClip(clipId)) ctx.ov.delete('transitions', t.id);
  ctx.ov.delete('clips', clipId);
}
