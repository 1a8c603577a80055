import { ConflictError, InvalidCommandError } from '../errors.ts';
import type { ClipKind, ClipRec, TextStyle, TrackRec } from '../model.ts';
import { CLIP_DEFAULTS, CLIP_FIELD_KINDS, DEFAULT_IMAGE_DURATION_US, DEFAULT_TEXT_STYLE, normalizeColor, trackAccepts } from '../model.ts';
import { assetFitsClip, fitsSource } from '../rules.ts';
import { MAX_TIME_US, MICROS_PER_SECOND, frameIndexAt, frameStartMicros, secondsToMicros } from '../time.ts';
import type { PlanContext } from './context.ts';
import {
  assertFree,
  checkLimit,
  fpsOf,
  newId,
  pruneTransitions,
  requireAsset,
  requireEditableClip,
  requireUnlockedTrack,
  snapSpan,
  snapLength,
  snapPoint,
} from './context.ts';
import type { AddClipCommand, AddColorClipCommand, AddTextClipCommand, CommandResults, TextStyleInput, UpdateClipCommand } from './schema.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function requireAccepts(track: TrackRec, kind: ClipKind): void {
  if (!trackAccepts(track.kind, kind)) {
    throw new ConflictError(`a ${track.kind} track cannot hold ${kind} clips`);
  }
}

function baseClip(id: string, trackId: string, kind: ClipKind, start: number, duration: number): Mutable<ClipRec> {
  return { id, trackId, kind, start, duration, ...CLIP_DEFAULTS, assetId: null, text: null, style: null, color: null };
}

export function addClip(ctx: PlanContext, cmd: AddClipCommand): CommandResults['addClip'] {
  const track = requireUnlockedTrack(ctx, cmd.trackId);
  const asset = requireAsset(ctx, cmd.assetId);
  // The track decides how a video asset is used: picture on a video track, sound on an audio track.
  const kind: ClipKind = track.kind === 'audio' ? 'audio' : asset.kind === 'image' ? 'image' : asset.kind;
  requireAccepts(track, kind);
  if (!assetFitsClip(asset, kind)) {
    throw new ConflictError(kind === 'audio' && asset.kind === 'video' ? 'the asset has no audio' : `a ${asset.kind} asset cannot go on a ${track.kind} track`);
  }
  checkLimit(ctx, 'clips');
  let start = snapPoint(ctx, cmd.start);
  const sourceIn = kind === 'image' ? 0 : secondsToMicros(cmd.sourceIn ?? 0);
  if (kind === 'image' && cmd.sourceIn !== undefined && cmd.sourceIn !== 0) throw new InvalidCommandError('sourceIn', 'images have no source time');
  let end: number;
  if (cmd.duration !== undefined || kind === 'image') {
    ({ start, end } = snapSpan(ctx, 'duration', cmd.start, cmd.duration ?? DEFAULT_IMAGE_DURATION_US / MICROS_PER_SECOND));
  } else {
    if (asset.duration === null) throw new InvalidCommandError('duration', 'is required while the asset duration is unknown');
    if (sourceIn >= asset.duration) throw new InvalidCommandError('sourceIn', 'is at or after the end of the media');
    // The rest of the media, cut at the last whole frame so it never runs past the end.
    const fps = fpsOf(ctx);
    end = Math.min(frameStartMicros(frameIndexAt(start + asset.duration - sourceIn, fps), fps), MAX_TIME_US);
    if (end <= start) throw new InvalidCommandError('sourceIn', 'leaves less than one frame of media');
  }
  const id = newId(ctx, 'clips');
  const clip: Mutable<ClipRec> = { ...baseClip(id, track.id, kind, start, end - start), sourceIn, assetId: asset.id };
  if (!fitsSource(clip, asset)) throw new InvalidCommandError('duration', 'runs past the end of the media');
  assertFree(ctx, track.id, start, end, new Set());
  ctx.ov.put('clips', clip);
  return { clipId: id };
}

function resolveStyle(current: TextStyle, input: TextStyleInput): TextStyle {
  let background = current.background;
  if (input.background === null) background = null;
  else if (input.background !== undefined) {
    background = { color: normalizeColor(input.background.color), padding: input.background.padding ?? current.background?.padding ?? 16 };
  }
  return {
    fontFamily: input.fontFamily ?? current.fontFamily,
    fontSize: input.fontSize ?? current.fontSize,
    color: input.color === undefined ? current.color : normalizeColor(input.color),
    background,
    align: input.align ?? current.align,
  };
}

export function addTextClip(ctx: PlanContext, cmd: AddTextClipCommand): CommandResults['addTextClip'] {
  const track = requireUnlockedTrack(ctx, cmd.trackId);
  requireAccepts(track, 'text');
  checkLimit(ctx, 'clips');
  const { start, end } = snapSpan(ctx, 'duration', cmd.start, cmd.duration);
  assertFree(ctx, track.id, start, end, new Set());
  const id = newId(ctx, 'clips');
  ctx.ov.put('clips', {
    ...baseClip(id, track.id, 'text', start, end - start),
    x: cmd.x ?? CLIP_DEFAULTS.x,
    y: cmd.y ?? CLIP_DEFAULTS.y,
    text: cmd.text,
    style: resolveStyle(DEFAULT_TEXT_STYLE, cmd.style ?? {}),
  });
  return { clipId: id };
}

export function addColorClip(ctx: PlanContext, cmd: AddColorClipCommand): CommandResults['addColorClip'] {
  const track = requireUnlockedTrack(ctx, cmd.trackId);
  requireAccepts(track, 'color');
  checkLimit(ctx, 'clips');
  const { start, end } = snapSpan(ctx, 'duration', cmd.start, cmd.duration);
  assertFree(ctx, track.id, start, end, new Set());
  const id = newId(ctx, 'clips');
  ctx.ov.put('clips', { ...baseClip(id, track.id, 'color', start, end - start), color: normalizeColor(cmd.color) });
  return { clipId: id };
}

export function updateClip(ctx: PlanContext, cmd: UpdateClipCommand): CommandResults['updateClip'] {
  const { clip } = requireEditableClip(ctx, cmd.clipId);
  const patch: Partial<Mutable<ClipRec>> = {};
  for (const field of Object.keys(CLIP_FIELD_KINDS) as Array<keyof typeof CLIP_FIELD_KINDS>) {
    if (cmd[field] === undefined) continue;
    if (!(CLIP_FIELD_KINDS[field] as readonly ClipKind[]).includes(clip.kind)) {
      throw new InvalidCommandError(field, `does not apply to ${clip.kind} clips`);
    }
  }
  if (cmd.volume !== undefined) patch.volume = cmd.volume;
  if (cmd.opacity !== undefined) patch.opacity = cmd.opacity;
  if (cmd.x !== undefined) patch.x = cmd.x;
  if (cmd.y !== undefined) patch.y = cmd.y;
  if (cmd.scale !== undefined) patch.scale = cmd.scale;
  if (cmd.rotation !== undefined) patch.rotation = cmd.rotation;
  if (cmd.speed !== undefined) patch.speed = cmd.speed;
  if (cmd.sourceIn !== undefined) patch.sourceIn = secondsToMicros(cmd.sourceIn);
  if (cmd.text !== undefined) patch.text = cmd.text;
  if (cmd.color !== undefined) patch.color = normalizeColor(cmd.color);
  if (cmd.style !== undefined) patch.style = resolveStyle(clip.style ?? DEFAULT_TEXT_STYLE, cmd.style);
  if (cmd.fadeIn !== undefined) patch.fadeIn = snapLength(ctx, cmd.fadeIn);
  if (cmd.fadeOut !== undefined) patch.fadeOut = snapLength(ctx, cmd.fadeOut);
  const next = { ...clip, ...patch };
  if (next.fadeIn + next.fadeOut > next.duration) {
    throw new InvalidCommandError(cmd.fadeOut !== undefined ? 'fadeOut' : 'fadeIn', 'fade-in plus fade-out is longer than the clip');
  }
  if (next.assetId !== null && !fitsSource(next, ctx.ov.get('assets', next.assetId))) {
    throw new InvalidCommandError(cmd.speed !== undefined ? 'speed' : 'sourceIn', 'the clip would run past the end of its media');
  }
  ctx.ov.patch('clips', clip.id, patch);
  if (patch.sourceIn !== undefined || patch.speed !== undefined) pruneTransitions(ctx, [clip.id]);
  return {};
}
