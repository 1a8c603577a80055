// Rules shared by command validation and the read-time merge resolution, so a command
// never creates what `snapshot()` would have to repair (TL16–TL19).

import type { AssetRec, ClipKind, ClipRec, TrackKind, TransitionKind } from './model.ts';
import { isMediaKind, trackAccepts } from './model.ts';

export function clipEnd(c: { readonly start: number; readonly duration: number }): number {
  return c.start + c.duration;
}

/** The part of a transition before the cut and the part after it, in µs (TL18). */
export function transitionSplit(duration: number): { before: number; after: number } {
  const before = Math.floor(duration / 2);
  return { before, after: duration - before };
}

export type AssetLookup = (id: string) => AssetRec | undefined;

/** Whether a clip's track and asset exist and fit it, i.e. whether it is shown (TL16). */
export function clipPlacementProblem(clip: ClipRec, trackKind: TrackKind | undefined, asset: AssetLookup): string | null {
  if (trackKind === undefined) return 'its track does not exist';
  if (!trackAccepts(trackKind, clip.kind)) return `a ${trackKind} track cannot hold ${clip.kind} clips`;
  if (isMediaKind(clip.kind) || clip.kind === 'image') {
    const a = clip.assetId === null ? undefined : asset(clip.assetId);
    if (a === undefined) return 'its asset is not registered';
    if (!assetFitsClip(a, clip.kind)) return `a ${a.kind} asset cannot back a ${clip.kind} clip`;
  }
  return null;
}

export function assetFitsClip(asset: AssetRec, kind: ClipKind): boolean {
  switch (kind) {
    case 'video':
      return asset.kind === 'video';
    case 'image':
      return asset.kind === 'image';
    case 'audio':
      return asset.kind === 'audio' || (asset.kind === 'video' && asset.hasAudio !== false);
    default:
      return false;
  }
}

/** Whether the clip's source range ends within the asset (unknown durations always fit). */
export function fitsSource(clip: Pick<ClipRec, 'kind' | 'sourceIn' | 'duration' | 'speed'>, asset: AssetRec | undefined, extraAfter = 0): boolean {
  if (!isMediaKind(clip.kind) || asset === undefined || asset.duration === null) return true;
  return clip.sourceIn + (clip.duration + extraAfter) * clip.speed <= asset.duration;
}

/** The clip's audio goes into the mix (TL34): audio assets always, video only when probed. */
export function clipHasAudio(clip: Pick<ClipRec, 'kind'>, asset: AssetRec | undefined): boolean {
  if (asset === undefined) return false;
  if (clip.kind === 'audio') return asset.kind === 'audio' || asset.hasAudio === true;
  if (clip.kind === 'video') return asset.hasAudio === true;
  return false;
}

/**
 * Why a transition between `from` and `to` cannot take effect, or null (TL18). The
 * one-in/one-out rule (TL19) is applied by the callers because it depends on the other
 * transitions. Because a transition is never longer than either clip, the part of an
 * incoming transition after the cut (⌈d₁/2⌉) and the part of an outgoing one before the
 * next cut (⌊d₂/2⌋) always fit in the clip between them together.
 */
export function transitionProblem(
  t: { readonly kind: TransitionKind; readonly duration: number },
  from: ClipRec | undefined,
  to: ClipRec | undefined,
  trackKind: TrackKind | undefined,
  asset: AssetLookup,
): string | null {
  if (from === undefined || to === undefined) return 'one of its clips does not exist';
  if (from.id === to.id) return 'a clip cannot transition to itself';
  if (from.trackId !== to.trackId) return 'its clips are on different tracks';
  if (clipEnd(from) !== to.start) return 'its clips are not adjacent (the first must end where the second starts)';
  if (trackKind === 'audio' && t.kind === 'wipe') return 'wipe is not available on audio tracks';
  if (t.duration > from.duration || t.duration > to.duration) return 'it is longer than one of its clips';
  const { before, after } = transitionSplit(t.duration);
  if (isMediaKind(to.kind) && to.sourceIn < before * to.speed) return 'the incoming clip has not enough source media before its start (handle)';
  const fromAsset = from.assetId === null ? undefined : asset(from.assetId);
  if (!fitsSource(from, fromAsset, after)) return 'the outgoing clip has not enough source media after its end (handle)';
  return null;
}
