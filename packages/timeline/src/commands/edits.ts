import { ConflictError, InvalidCommandError } from '../errors.ts';
import { isMediaKind, trackAccepts } from '../model.ts';
import { clipEnd, fitsSource } from '../rules.ts';
import type { PlanContext } from './context.ts';
import {
  assertFree,
  checkLimit,
  deleteClip,
  fitFades,
  newId,
  pruneTransitions,
  requireEditableClip,
  requireUnlockedTrack,
  snapPoint,
} from './context.ts';
import type { CommandResults, MoveClipCommand, RemoveClipCommand, RippleDeleteCommand, SplitClipCommand, TrimClipCommand } from './schema.ts';

export function moveClip(ctx: PlanContext, cmd: MoveClipCommand): CommandResults['moveClip'] {
  const { clip, track } = requireEditableClip(ctx, cmd.clipId);
  const target = cmd.trackId === undefined || cmd.trackId === track.id ? track : requireUnlockedTrack(ctx, cmd.trackId);
  if (!trackAccepts(target.kind, clip.kind)) throw new ConflictError(`a ${target.kind} track cannot hold ${clip.kind} clips`);
  const start = snapPoint(ctx, cmd.start);
  assertFree(ctx, target.id, start, start + clip.duration, new Set([clip.id]));
  ctx.ov.patch('clips', clip.id, { start, trackId: target.id });
  pruneTransitions(ctx, [clip.id]);
  return {};
}

export function trimClip(ctx: PlanContext, cmd: TrimClipCommand): CommandResults['trimClip'] {
  const { clip } = requireEditableClip(ctx, cmd.clipId);
  const to = snapPoint(ctx, cmd.to);
  const end = clipEnd(clip);
  let start = clip.start;
  let sourceIn = clip.sourceIn;
  let newEnd = end;
  if (cmd.edge === 'start') {
    if (to >= end) throw new InvalidCommandError('to', 'must be before the clip end');
    start = to;
    if (isMediaKind(clip.kind)) {
      // The media under the end edge stays put, so the source in-point moves with the edge.
      sourceIn = Math.round(clip.sourceIn + (to - clip.start) * clip.speed);
      if (sourceIn < 0) throw new InvalidCommandError('to', 'would start before the beginning of the media');
    }
  } else {
    if (to <= start) throw new InvalidCommandError('to', 'must be after the clip start');
    newEnd = to;
  }
  const duration = newEnd - start;
  const next = { ...clip, start, duration, sourceIn };
  if (clip.assetId !== null && !fitsSource(next, ctx.ov.get('assets', clip.assetId))) {
    throw new InvalidCommandError('to', 'would run past the end of the media');
  }
  assertFree(ctx, clip.trackId, start, newEnd, new Set([clip.id]));
  ctx.ov.patch('clips', clip.id, { start, duration, sourceIn, ...fitFades(clip.fadeIn, clip.fadeOut, duration) });
  pruneTransitions(ctx, [clip.id]);
  return {};
}

export function splitClip(ctx: PlanContext, cmd: SplitClipCommand): CommandResults['splitClip'] {
  const { clip } = requireEditableClip(ctx, cmd.clipId);
  const at = snapPoint(ctx, cmd.at);
  const end = clipEnd(clip);
  if (at <= clip.start || at >= end) throw new InvalidCommandError('at', 'must be strictly inside the clip (after snapping to frames)');
  checkLimit(ctx, 'clips');
  const rightId = newId(ctx, 'clips');
  const leftDuration = at - clip.start;
  const rightDuration = end - at;
  ctx.ov.patch('clips', clip.id, { duration: leftDuration, ...fitFades(clip.fadeIn, 0, leftDuration) });
  ctx.ov.put('clips', {
    ...clip,
    id: rightId,
    start: at,
    duration: rightDuration,
    sourceIn: isMediaKind(clip.kind) ? Math.round(clip.sourceIn + leftDuration * clip.speed) : clip.sourceIn,
    ...fitFades(0, clip.fadeOut, rightDuration),
  });
  // The outgoing transition now leaves from the right half.
  for (const t of ctx.ov.transitionsOfClip(clip.id)) {
    if (t.fromClipId === clip.id) ctx.ov.patch('transitions', t.id, { fromClipId: rightId });
  }
  pruneTransitions(ctx, [clip.id, rightId]);
  return { clipIds: [clip.id, rightId] };
}

export function removeClip(ctx: PlanContext, cmd: RemoveClipCommand): CommandResults['removeClip'] {
  const { clip } = requireEditableClip(ctx, cmd.clipId);
  deleteClip(ctx, clip.id);
  return {};
}

/** Remove the clip and pull later clips on the same track left by its length (TL15). */
export function rippleDelete(ctx: PlanContext, cmd: RippleDeleteCommand): CommandResults['rippleDelete'] {
  const { clip } = requireEditableClip(ctx, cmd.clipId);
  const end = clipEnd(clip);
  const others = ctx.ov.clipsOnTrack(clip.trackId).filter((c) => c.id !== clip.id);
  const later = others.filter((c) => c.start >= end);
  const stay = others.filter((c) => c.start < end);
  // Only a merge-made overlap could make the shift collide; refuse rather than stack clips.
  const firstLater = later.reduce((m, c) => Math.min(m, c.start), Infinity);
  for (const c of stay) {
    if (clipEnd(c) > firstLater - clip.duration) throw new ConflictError(`closing the gap would overlap clip ${JSON.stringify(c.id)}`);
  }
  deleteClip(ctx, clip.id);
  for (const c of later) ctx.ov.patch('clips', c.id, { start: c.start - clip.duration });
  pruneTransitions(
    ctx,
    later.map((c) => c.id),
  );
  return {};
}
