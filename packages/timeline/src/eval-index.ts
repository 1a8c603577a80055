// Per-snapshot lookup structure for evaluate/audioPlan, built once and cached in a
// WeakMap keyed by the (frozen) snapshot object. Times are integer µs.

import { transitionSplit } from './rules.ts';
import type { SnapshotAsset, SnapshotClip, SnapshotTrack, SnapshotTransition, TimelineSnapshot } from './snapshot.ts';
import { secondsToMicros } from './time.ts';

export interface EvalTransition {
  readonly t: SnapshotTransition;
  readonly from: EvalClip;
  readonly to: EvalClip;
  /** Transition span [begin, end) in µs; the cut is at `to.start`. */
  readonly begin: number;
  readonly end: number;
  readonly duration: number;
}

export interface EvalClip {
  readonly c: SnapshotClip;
  readonly start: number;
  readonly end: number;
  readonly fadeIn: number;
  readonly fadeOut: number;
  readonly hasAudio: boolean;
  incoming: EvalTransition | null;
  outgoing: EvalTransition | null;
}

export interface EvalTrack {
  readonly track: SnapshotTrack;
  readonly clips: readonly EvalClip[];
  readonly starts: Float64Array;
}

export interface EvalIndex {
  /** Bottom to top. */
  readonly tracks: readonly EvalTrack[];
  readonly assets: ReadonlyMap<string, SnapshotAsset>;
}

/** TL34: which clips feed the mix. Mirrors rules.clipHasAudio on snapshot JSON. */
export function snapshotClipHasAudio(c: SnapshotClip, asset: SnapshotAsset | undefined): boolean {
  if (asset === undefined) return false;
  if (c.kind === 'audio') return asset.kind === 'audio' || asset.hasAudio === true;
  if (c.kind === 'video') return asset.hasAudio === true;
  return false;
}

const cache = new WeakMap<TimelineSnapshot, EvalIndex>();

export function evalIndex(snap: TimelineSnapshot): EvalIndex {
  let index = cache.get(snap);
  if (index === undefined) {
    index = build(snap);
    cache.set(snap, index);
  }
  return index;
}

function build(snap: TimelineSnapshot): EvalIndex {
  const assets = new Map(snap.assets.map((a) => [a.id, a]));
  const perTrack = new Map<string, EvalClip[]>();
  const byId = new Map<string, EvalClip>();
  for (const c of snap.clips) {
    const start = secondsToMicros(c.start);
    const ec: EvalClip = {
      c,
      start,
      end: start + secondsToMicros(c.duration),
      fadeIn: secondsToMicros(c.fadeIn),
      fadeOut: secondsToMicros(c.fadeOut),
      hasAudio: snapshotClipHasAudio(c, c.assetId === null ? undefined : assets.get(c.assetId)),
      incoming: null,
      outgoing: null,
    };
    byId.set(c.id, ec);
    let list = perTrack.get(c.trackId);
    if (list === undefined) {
      list = [];
      perTrack.set(c.trackId, list);
    }
    list.push(ec);
  }
  for (const t of snap.transitions) {
    const from = byId.get(t.fromClipId);
    const to = byId.get(t.toClipId);
    if (from === undefined || to === undefined) continue;
    const duration = secondsToMicros(t.duration);
    const { before, after } = transitionSplit(duration);
    const et: EvalTransition = { t, from, to, begin: to.start - before, end: to.start + after, duration };
    from.outgoing = et;
    to.incoming = et;
  }
  const tracks: EvalTrack[] = snap.tracks.map((track) => {
    const clips = (perTrack.get(track.id) ?? []).sort((a, b) => a.start - b.start);
    return { track, clips, starts: Float64Array.from(clips, (c) => c.start) };
  });
  return { tracks, assets };
}

/** The clip covering µs time `t` on a track (clips never overlap in a snapshot, TL17). */
export function clipAt(track: EvalTrack, t: number): EvalClip | undefined {
  const starts = track.starts;
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] as number) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const c = found < 0 ? undefined : track.clips[found];
  return c !== undefined && t < c.end ? c : undefined;
}

/** The transition active at `t` on the clip covering `t`, if any (TL31). */
export function activeTransition(c: EvalClip, t: number): EvalTransition | null {
  if (c.incoming !== null && t < c.incoming.end) return c.incoming;
  if (c.outgoing !== null && t >= c.outgoing.begin) return c.outgoing;
  return null;
}

/** Fade factor of a clip at `t` (TL32): product of fade-in and fade-out ramps, clamped. */
export function fadeFactor(c: EvalClip, t: number): number {
  let f = 1;
  if (c.fadeIn > 0) f *= Math.min(1, Math.max(0, (t - c.start) / c.fadeIn));
  if (c.fadeOut > 0) f *= Math.min(1, Math.max(0, (c.end - t) / c.fadeOut));
  return f;
}
