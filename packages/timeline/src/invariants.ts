// The invariants every snapshot satisfies (TL9, TL16–TL19), as a checker. Convergence
// tests run it on every merged state; other packages may assert with it.

import type { AssetRec, ClipRec } from './model.ts';
import { clipEnd, clipPlacementProblem, transitionProblem, transitionSplit } from './rules.ts';
import { validateSnapshot } from './snapshot-schema.ts';
import type { TimelineSnapshot } from './snapshot.ts';
import { clipRecFromSnapshot } from './snapshot.ts';
import { secondsToMicros } from './time.ts';

/** Violations of the snapshot invariants, as messages citing the rule; empty when sound. */
export function checkInvariants(snap: TimelineSnapshot): string[] {
  const problems: string[] = [];
  try {
    validateSnapshot(snap);
  } catch (e) {
    problems.push(`[TL9] schema: ${(e as Error).message}`);
    return problems;
  }
  const dup = (what: string, items: readonly { id: string }[]): void => {
    if (new Set(items.map((x) => x.id)).size !== items.length) problems.push(`[TL5] duplicate ${what} ids`);
  };
  dup('track', snap.tracks);
  dup('clip', snap.clips);
  dup('transition', snap.transitions);
  dup('marker', snap.markers);
  dup('asset', snap.assets);

  const assets = new Map<string, AssetRec>(snap.assets.map((a) => [a.id, { ...a, duration: a.duration === null ? null : secondsToMicros(a.duration) }]));
  const trackPos = new Map(snap.tracks.map((t, i) => [t.id, i]));
  const clips = new Map<string, ClipRec>();
  let prev: ClipRec | undefined;
  let maxEnd = 0;
  for (const c of snap.clips.map(clipRecFromSnapshot)) {
    clips.set(c.id, c);
    const track = snap.tracks[trackPos.get(c.trackId) ?? -1];
    const placement = clipPlacementProblem(c, track?.kind, (id) => assets.get(id));
    if (placement !== null) problems.push(`[TL16] clip ${c.id}: ${placement}`);
    if (c.fadeIn > c.duration || c.fadeOut > c.duration) problems.push(`[TL15] clip ${c.id}: fade longer than the clip`);
    if (prev !== undefined && prev.trackId === c.trackId) {
      if (c.start < prev.start) problems.push(`[TL9] clips of track ${c.trackId} not sorted by start`);
      if (clipEnd(prev) > c.start) problems.push(`[TL17] clips ${prev.id} and ${c.id} overlap`);
    } else if (prev !== undefined && (trackPos.get(c.trackId) ?? -1) <= (trackPos.get(prev.trackId) ?? -1)) {
      problems.push('[TL9] clips not grouped by track in track order');
    }
    maxEnd = Math.max(maxEnd, clipEnd(c));
    prev = c;
  }
  if (secondsToMicros(snap.duration) !== maxEnd) problems.push(`[TL9] duration ${snap.duration} is not the end of the last clip`);

  const outgoing = new Map<string, number>();
  const incoming = new Map<string, number>();
  for (const t of snap.transitions) {
    const rec = { ...t, duration: secondsToMicros(t.duration) };
    const from = clips.get(t.fromClipId);
    const to = clips.get(t.toClipId);
    const kind = from === undefined ? undefined : snap.tracks[trackPos.get(from.trackId) ?? -1]?.kind;
    const problem = transitionProblem(rec, from, to, kind, (id) => assets.get(id));
    if (problem !== null) problems.push(`[TL18] transition ${t.id}: ${problem}`);
    if (outgoing.has(t.fromClipId)) problems.push(`[TL19] clip ${t.fromClipId} has two outgoing transitions`);
    if (incoming.has(t.toClipId)) problems.push(`[TL19] clip ${t.toClipId} has two incoming transitions`);
    outgoing.set(t.fromClipId, rec.duration);
    incoming.set(t.toClipId, rec.duration);
  }
  for (const [clipId, out] of outgoing) {
    const inc = incoming.get(clipId);
    const c = clips.get(clipId);
    if (inc !== undefined && c !== undefined && transitionSplit(inc).after + transitionSplit(out).before > c.duration) {
      problems.push(`[TL19] clip ${clipId} is too short for both its transitions`);
    }
  }
  for (let i = 1; i < snap.markers.length; i++) {
    const a = snap.markers[i - 1];
    const b = snap.markers[i];
    if (a !== undefined && b !== undefined && (a.time > b.time || (a.time === b.time && a.id > b.id))) problems.push('[TL9] markers not sorted');
  }
  for (let i = 1; i < snap.assets.length; i++) {
    if ((snap.assets[i - 1]?.id ?? '') > (snap.assets[i]?.id ?? '')) problems.push('[TL9] assets not sorted by id');
  }
  return problems;
}
