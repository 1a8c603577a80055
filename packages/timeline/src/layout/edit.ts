// The edit rules the editor needs while a pointer moves (TL75–TL77), in the model's
// integer µs (TL20): where a clip may go, what a track accepts, how far an edge may be
// trimmed, how long a transition may be, and what an edge snaps to. They restate TL12,
// TL13, TL17, TL18 and TL22 for one question each, so a drag stops where the command
// would refuse; the property tests check them against the commands themselves.

import type { AssetKind, ClipKind, ClipRec, TrackKind } from '../model.ts';
import { TRACK_ACCEPTS } from '../model.ts';
import type { TimelineSnapshot } from '../snapshot.ts';
import type { Rational } from '../time.ts';
import { MAX_TIME_US, frameStartMicros, secondsToMicros } from '../time.ts';

/** A shown clip with times in µs (`sourceIn` keeps a fraction, TL20): the model's record, narrowed. */
export type EditClip = Pick<ClipRec, 'id' | 'trackId' | 'kind' | 'start' | 'duration' | 'sourceIn' | 'speed' | 'assetId'>;

export type EditAsset = { readonly id: string; readonly kind: AssetKind; readonly duration: number | null; readonly hasAudio: boolean | null };

/** A snapshot's clips, assets and markers in µs, indexed for the questions below. */
export type EditView = {
  readonly fps: Rational;
  readonly clips: readonly EditClip[];
  readonly clipsById: ReadonlyMap<string, EditClip>;
  readonly clipsByTrack: ReadonlyMap<string, readonly EditClip[]>;
  readonly assets: ReadonlyMap<string, EditAsset>;
  readonly markers: readonly number[];
};

const views = new WeakMap<TimelineSnapshot, EditView>();

/** The µs view of a snapshot; cached, since a snapshot object never changes (TL9). */
export function editView(snapshot: TimelineSnapshot): EditView {
  const cached = views.get(snapshot);
  if (cached) return cached;
  const clips = snapshot.clips.map((c) => ({
    id: c.id,
    trackId: c.trackId,
    kind: c.kind,
    start: secondsToMicros(c.start),
    duration: secondsToMicros(c.duration),
    // Not rounded: sourceIn may carry a fraction of a µs (TL20).
    sourceIn: c.sourceIn * 1e6,
    speed: c.speed,
    assetId: c.assetId,
  }));
  const clipsByTrack = new Map<string, EditClip[]>();
  for (const c of clips) {
    const list = clipsByTrack.get(c.trackId);
    if (list) list.push(c);
    else clipsByTrack.set(c.trackId, [c]);
  }
  const view: EditView = {
    fps: snapshot.settings.fps,
    clips,
    clipsById: new Map(clips.map((c) => [c.id, c])),
    clipsByTrack,
    assets: new Map(snapshot.assets.map((a) => [a.id, { id: a.id, kind: a.kind, duration: a.duration === null ? null : a.duration * 1e6, hasAudio: a.hasAudio }])),
    markers: snapshot.markers.map((m) => secondsToMicros(m.time)),
  };
  views.set(snapshot, view);
  return view;
}

const end = (c: { readonly start: number; readonly duration: number }): number => c.start + c.duration;
const isMedia = (kind: ClipKind): boolean => kind === 'video' || kind === 'audio';

/**
 * The clip kind an asset becomes on a track, or null when the track does not take it
 * (TL12, TL13, TL75): a video track takes video and image assets as themselves; an audio
 * track takes audio assets, and video assets for their sound unless probed silent.
 */
export function clipKindForAsset({ trackKind, asset }: { trackKind: TrackKind; asset: { readonly kind: AssetKind; readonly hasAudio: boolean | null } }): ClipKind | null {
  const kind: ClipKind | null = trackKind === 'audio' ? (asset.kind === 'image' || asset.hasAudio === false ? null : 'audio') : asset.kind === 'audio' ? null : asset.kind;
  return kind !== null && TRACK_ACCEPTS[trackKind].includes(kind) ? kind : null;
}

/** Whether a track of `trackKind` takes `asset` (TL75). */
export function trackAcceptsAsset(args: { trackKind: TrackKind; asset: { readonly kind: AssetKind; readonly hasAudio: boolean | null } }): boolean {
  return clipKindForAsset(args) !== null;
}

/** Whether a track of `trackKind` takes a clip of `clipKind` (TL12). */
export function trackAcceptsClip({ trackKind, clipKind }: { trackKind: TrackKind; clipKind: ClipKind }): boolean {
  return TRACK_ACCEPTS[trackKind].includes(clipKind);
}

/** True when [start, end) µs on `trackId` overlaps no clip other than `exclude` (TL17: touching is fine). */
export function isFree({ view, trackId, start, end: stop, exclude = [] }: { view: EditView; trackId: string; start: number; end: number; exclude?: Iterable<string> }): boolean {
  const skip = new Set(exclude);
  for (const c of view.clipsByTrack.get(trackId) ?? []) {
    if (skip.has(c.id)) continue;
    if (c.start < stop && start < end(c)) return false;
  }
  return true;
}

/** The clip covering `at` µs on a track (a clip covers [start, end), TL30). */
export function clipAt({ view, trackId, at }: { view: EditView; trackId: string; at: number }): EditClip | undefined {
  return (view.clipsByTrack.get(trackId) ?? []).find((c) => c.start <= at && at < end(c));
}

/** The clip that starts exactly where `clipId` ends on its track (a cut, TL18), if any. */
export function nextAdjacent({ view, clipId }: { view: EditView; clipId: string }): EditClip | undefined {
  const clip = view.clipsById.get(clipId);
  if (!clip) return undefined;
  return (view.clipsByTrack.get(clip.trackId) ?? []).find((c) => c.id !== clip.id && c.start === end(clip));
}

export type TrimBounds = { minStart: number; maxStart: number; minEnd: number; maxEnd: number };

/**
 * How far each edge of a clip may be trimmed, µs (TL76): not into a neighbour on its
 * track (TL17), not past the media's start or end (TL13, source time over speed), not past
 * 0 or 24 h (TL21), and the clip stays at least one frame long (TL22).
 */
export function trimBounds({ view, clipId }: { view: EditView; clipId: string }): TrimBounds | null {
  const clip = view.clipsById.get(clipId);
  if (!clip) return null;
  const frame = frameStartMicros(1, view.fps);
  const clipStop = end(clip);
  let prevEnd = 0;
  let nextStart = MAX_TIME_US;
  for (const other of view.clipsByTrack.get(clip.trackId) ?? []) {
    if (other.id === clip.id) continue;
    if (end(other) <= clip.start) prevEnd = Math.max(prevEnd, end(other));
    if (other.start >= clipStop) nextStart = Math.min(nextStart, other.start);
  }
  const asset = clip.assetId === null ? undefined : view.assets.get(clip.assetId);
  const media = isMedia(clip.kind);
  const mediaStart = media ? Math.ceil(clip.start - clip.sourceIn / clip.speed) : 0;
  const mediaEnd = media && asset?.duration != null ? Math.floor(clip.start + (asset.duration - clip.sourceIn) / clip.speed) : MAX_TIME_US;
  // An asset shortened under the clip (TL13 allows it) fails any start trim: only the end may move.
  const overruns = clipStop > mediaEnd;
  return {
    minStart: overruns ? clip.start : Math.max(prevEnd, mediaStart, 0),
    maxStart: overruns ? clip.start : clipStop - frame,
    minEnd: clip.start + frame,
    maxEnd: Math.min(nextStart, mediaEnd),
  };
}

/**
 * The longest transition (µs) the cut between `fromId` and `toId` allows (TL18, TL77):
 * no longer than either clip; the incoming media needs ⌊d/2⌋ × speed of source before
 * its in-point, the outgoing media d − ⌊d/2⌋ × speed after its out-point. 0 when none fits.
 */
export function maxTransitionDuration({ view, fromId, toId }: { view: EditView; fromId: string; toId: string }): number {
  const from = view.clipsById.get(fromId);
  const to = view.clipsById.get(toId);
  if (!from || !to) return 0;
  let max = Math.min(from.duration, to.duration);
  if (isMedia(to.kind)) {
    // ⌊d/2⌋ ≤ h for the largest whole h with h × speed ≤ sourceIn, so d ≤ 2h + 1.
    let h = Math.floor(to.sourceIn / to.speed);
    while (h > 0 && h * to.speed > to.sourceIn) h--;
    max = Math.min(max, 2 * h + 1);
  }
  const asset = from.assetId === null ? undefined : view.assets.get(from.assetId);
  if (isMedia(from.kind) && asset?.duration != null) {
    // ⌈d/2⌉ ≤ a for the largest whole a with sourceIn + (duration + a) × speed ≤ asset duration.
    let a = Math.floor((asset.duration - from.sourceIn) / from.speed - from.duration);
    while (a > 0 && from.sourceIn + (from.duration + a) * from.speed > asset.duration) a--;
    max = Math.min(max, 2 * a);
  }
  return Math.max(0, max);
}

export type SnapTarget = { readonly time: number; readonly kind: 'playhead' | 'clip' | 'marker' | 'origin' };

/**
 * What an edge snaps to (TL78): the timeline start, the playhead, every other clip's
 * edges on all tracks, and markers; clips being dragged (`exclude`) are left out.
 */
export function snapTargets({ view, playhead, exclude = [] }: { view: EditView; playhead: number; exclude?: Iterable<string> }): SnapTarget[] {
  const skip = new Set(exclude);
  const targets: SnapTarget[] = [
    { time: 0, kind: 'origin' },
    { time: playhead, kind: 'playhead' },
  ];
  for (const c of view.clips) {
    if (skip.has(c.id)) continue;
    targets.push({ time: c.start, kind: 'clip' }, { time: end(c), kind: 'clip' });
  }
  for (const time of view.markers) targets.push({ time, kind: 'marker' });
  return targets;
}

export type Snapped = { time: number; target: SnapTarget | null };

/** The nearest target within `threshold` µs of `time`, else `time` itself; the playhead wins a tie (TL78). */
export function snapTime({ time, targets, threshold }: { time: number; targets: readonly SnapTarget[]; threshold: number }): Snapped {
  let best: SnapTarget | null = null;
  let bestDistance = threshold;
  for (const target of targets) {
    const d = Math.abs(target.time - time);
    if (d <= bestDistance) {
      if (d === bestDistance && best?.kind === 'playhead') continue;
      best = target;
      bestDistance = d;
    }
  }
  return best ? { time: best.time, target: best } : { time, target: null };
}

/**
 * A moving span snaps by whichever edge is nearer a target (the head on a tie) and keeps
 * its length; it never starts before 0 (TL78). Returns the new start.
 */
export function snapSpan({ start, duration, targets, threshold }: { start: number; duration: number; targets: readonly SnapTarget[]; threshold: number }): Snapped {
  const head = snapTime({ time: start, targets, threshold });
  const tail = snapTime({ time: start + duration, targets, threshold });
  const headDistance = head.target ? Math.abs(head.time - start) : Number.POSITIVE_INFINITY;
  const tailDistance = tail.target ? Math.abs(tail.time - (start + duration)) : Number.POSITIVE_INFINITY;
  if (headDistance === Number.POSITIVE_INFINITY && tailDistance === Number.POSITIVE_INFINITY) return { time: Math.max(0, start), target: null };
  if (headDistance <= tailDistance) return { time: Math.max(0, head.time), target: head.target };
  return { time: Math.max(0, tail.time - duration), target: tail.target };
}
