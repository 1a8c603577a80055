import { microsToSeconds, secondsToMicros, type SnapshotAsset, type SnapshotClip, type TimelineSnapshot, type TrackKind } from '@cutline/timeline';
import * as rules from '@cutline/timeline/layout';

// The editor speaks seconds (the snapshot's unit, TL9); the rules live in
// @cutline/timeline/layout in the model's µs (TL75–TL77). These only convert.

const us = secondsToMicros;
const s = microsToSeconds;

/** How far each edge of a clip may go (seconds), so a drag stops where the command would refuse (TL76). */
export function trimBounds({ clip, snapshot }: { clip: SnapshotClip; snapshot: TimelineSnapshot }): {
  minStart: number;
  maxStart: number;
  minEnd: number;
  maxEnd: number;
} {
  const b = rules.trimBounds({ view: rules.editView(snapshot), clipId: clip.id });
  if (!b) return { minStart: clip.start, maxStart: clip.start, minEnd: clip.start + clip.duration, maxEnd: clip.start + clip.duration };
  return { minStart: s(b.minStart), maxStart: s(b.maxStart), minEnd: s(b.minEnd), maxEnd: s(b.maxEnd) };
}

/** True when [start, end) seconds on `trackId` overlaps no clip other than those in `exclude` (TL17). */
export function isFree({ snapshot, trackId, start, end, exclude = [] }: { snapshot: TimelineSnapshot; trackId: string; start: number; end: number; exclude?: Iterable<string> }): boolean {
  return rules.isFree({ view: rules.editView(snapshot), trackId, start: us(start), end: us(end), exclude });
}

/** The clip under time `t` seconds on a track (a clip covers [start, end)). */
export function clipAtTime(snapshot: TimelineSnapshot, trackId: string, t: number): SnapshotClip | undefined {
  const hit = rules.clipAt({ view: rules.editView(snapshot), trackId, at: us(t) });
  return hit && snapshot.clips.find((c) => c.id === hit.id);
}

/** The clip that starts exactly where `clip` ends on the same track (a cut), if any. */
export function nextAdjacent(snapshot: TimelineSnapshot, clip: SnapshotClip): SnapshotClip | undefined {
  const hit = rules.nextAdjacent({ view: rules.editView(snapshot), clipId: clip.id });
  return hit && snapshot.clips.find((c) => c.id === hit.id);
}

/** The longest transition (seconds) the cut between `from` and `to` allows (TL18, TL77). */
export function maxTransitionDuration({ from, to, snapshot }: { from: SnapshotClip; to: SnapshotClip; snapshot: TimelineSnapshot }): number {
  return s(rules.maxTransitionDuration({ view: rules.editView(snapshot), fromId: from.id, toId: to.id }));
}

/** Whether a track takes an asset (TL12, TL75); an asset not classified yet goes nowhere. */
export function trackAcceptsAsset(track: { kind: TrackKind }, asset: { kind: SnapshotAsset['kind'] | null; hasAudio?: boolean | null }): boolean {
  return asset.kind !== null && rules.trackAcceptsAsset({ trackKind: track.kind, asset: { kind: asset.kind, hasAudio: asset.hasAudio ?? null } });
}
