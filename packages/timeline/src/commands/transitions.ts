import { ConflictError, InvalidCommandError, TrackLockedError, UnknownIdError } from '../errors.ts';
import { transitionProblem } from '../rules.ts';
import type { PlanContext } from './context.ts';
import { checkLimit, newId, requireEditableClip, snapLength } from './context.ts';
import type { AddTransitionCommand, CommandResults, RemoveTransitionCommand } from './schema.ts';

export function addTransition(ctx: PlanContext, cmd: AddTransitionCommand): CommandResults['addTransition'] {
  const { clip: from, track } = requireEditableClip(ctx, cmd.fromClipId);
  const { clip: to } = requireEditableClip(ctx, cmd.toClipId);
  const duration = snapLength(ctx, cmd.duration);
  if (duration <= 0) throw new InvalidCommandError('duration', 'shorter than one frame');
  const problem = transitionProblem({ kind: cmd.kind, duration }, from, to, track.kind, (a) => ctx.ov.get('assets', a));
  if (problem !== null) throw new ConflictError(`cannot add the transition: ${problem}`);
  const fromOthers = ctx.ov.transitionsOfClip(from.id);
  const toOthers = ctx.ov.transitionsOfClip(to.id);
  if (fromOthers.some((t) => t.fromClipId === from.id)) throw new ConflictError('the first clip already has an outgoing transition');
  if (toOthers.some((t) => t.toClipId === to.id)) throw new ConflictError('the second clip already has an incoming transition');
  checkLimit(ctx, 'transitions');
  const id = newId(ctx, 'transitions');
  ctx.ov.put('transitions', { id, fromClipId: from.id, toClipId: to.id, kind: cmd.kind, duration });
  return { transitionId: id };
}

export function removeTransition(ctx: PlanContext, cmd: RemoveTransitionCommand): CommandResults['removeTransition'] {
  const t = ctx.ov.get('transitions', cmd.transitionId);
  if (t === undefined) throw new UnknownIdError('transition', cmd.transitionId);
  const from = ctx.ov.get('clips', t.fromClipId);
  if (from !== undefined) {
    const track = ctx.ov.get('tracks', from.trackId);
    if (track?.locked === true) throw new TrackLockedError(track.id);
  }
  ctx.ov.delete('transitions', t.id);
  return {};
}

