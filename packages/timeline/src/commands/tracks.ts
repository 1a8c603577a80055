import { InvalidCommandError, TrackLockedError } from '../errors.ts';
import { keysForInsert } from '../fractional-index.ts';
import type { TrackRec } from '../model.ts';
import type { AddTrackCommand, CommandResults, RemoveTrackCommand, UpdateTrackCommand } from './schema.ts';
import type { PlanContext } from './context.ts';
import { checkLimit, deleteClip, newId, requireTrack } from './context.ts';

const DEFAULT_NAMES: Record<TrackRec['kind'], string> = { video: 'Video', audio: 'Audio', text: 'Text' };

/** Order key for a track placed at `index` among `others` (bottom = 0), re-keying ties (TL3). */
function placeAt(ctx: PlanContext, others: readonly TrackRec[], index: number, path: string): string {
  if (index > others.length) throw new InvalidCommandError(path, `must be ≤ ${others.length} (the number of other tracks)`);
  const { key, rekeys } = keysForInsert(
    others.map((t) => t.order),
    index,
  );
  for (const [i, order] of rekeys) {
    const t = others[i];
    if (t !== undefined) ctx.ov.patch('tracks', t.id, { order });
  }
  return key;
}

export function addTrack(ctx: PlanContext, cmd: AddTrackCommand): CommandResults['addTrack'] {
  checkLimit(ctx, 'tracks');
  const tracks = ctx.ov.trackList();
  const id = newId(ctx, 'tracks');
  const order = placeAt(ctx, tracks, cmd.index ?? tracks.length, 'index');
  const sameKind = tracks.filter((t) => t.kind === cmd.kind).length;
  ctx.ov.put('tracks', {
    id,
    kind: cmd.kind,
    name: cmd.name ?? `${DEFAULT_NAMES[cmd.kind]} ${sameKind + 1}`,
    order,
    muted: false,
    hidden: false,
    locked: false,
  });
  return { trackId: id };
}

export function updateTrack(ctx: PlanContext, cmd: UpdateTrackCommand): CommandResults['updateTrack'] {
  const track = requireTrack(ctx, cmd.trackId);
  const patch: { -readonly [K in keyof TrackRec]?: TrackRec[K] } = {};
  if (cmd.name !== undefined) patch.name = cmd.name;
  if (cmd.muted !== undefined) patch.muted = cmd.muted;
  if (cmd.hidden !== undefined) patch.hidden = cmd.hidden;
  if (cmd.locked !== undefined) patch.locked = cmd.locked;
  if (cmd.index !== undefined) {
    const tracks = ctx.ov.trackList();
    const others = tracks.filter((t) => t.id !== track.id);
    // Moving to where it already is keeps its key (no needless write to merge against).
    if (tracks.findIndex((t) => t.id === track.id) !== cmd.index) patch.order = placeAt(ctx, others, cmd.index, 'index');
  }
  ctx.ov.patch('tracks', track.id, patch);
  return {};
}

export function removeTrack(ctx: PlanContext, cmd: RemoveTrackCommand): CommandResults['removeTrack'] {
  const track = requireTrack(ctx, cmd.trackId);
  if (track.locked) throw new TrackLockedError(track.id);
  for (const clip of ctx.ov.clipsOnTrack(track.id)) deleteClip(ctx, clip.id);
  ctx.ov.delete('tracks', track.id);
  return {};
}
