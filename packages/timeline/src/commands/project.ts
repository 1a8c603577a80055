// Project-level commands: settings, markers and asset references.

import { ConflictError, InvalidCommandError, UnknownIdError } from '../errors.ts';
import { isValidFps } from '../doc.ts';
import type { AssetRec, SettingsRec } from '../model.ts';
import { DEFAULT_MARKER_COLOR, RANGES, normalizeColor } from '../model.ts';
import { secondsToMicros } from '../time.ts';
import type { PlanContext } from './context.ts';
import { checkLimit, newId, requireAsset, snapPoint } from './context.ts';
import type {
  AddMarkerCommand,
  CommandResults,
  RationalInput,
  RegisterAssetCommand,
  RemoveMarkerCommand,
  SetSettingsCommand,
  UpdateAssetCommand,
} from './schema.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function checkFps(fps: RationalInput, path: string, range: { min: number; max: number } = RANGES.fpsValue): { num: number; den: number } {
  if (!isValidFps(fps, range)) throw new InvalidCommandError(path, `frame rate must be between ${range.min} and ${range.max} fps`);
  return { num: fps.num, den: fps.den };
}

/** Changing fps does not move clips (TL23): existing times stay where they are. */
export function setSettings(ctx: PlanContext, cmd: SetSettingsCommand): CommandResults['setSettings'] {
  const patch: Partial<Mutable<SettingsRec>> = {};
  if (cmd.width !== undefined) patch.width = cmd.width;
  if (cmd.height !== undefined) patch.height = cmd.height;
  if (cmd.fps !== undefined) patch.fps = checkFps(cmd.fps, 'fps');
  if (cmd.background !== undefined) patch.background = normalizeColor(cmd.background);
  if (cmd.sampleRate !== undefined) patch.sampleRate = cmd.sampleRate;
  ctx.ov.setSettings(patch);
  return {};
}

export function addMarker(ctx: PlanContext, cmd: AddMarkerCommand): CommandResults['addMarker'] {
  checkLimit(ctx, 'markers');
  const id = newId(ctx, 'markers');
  ctx.ov.put('markers', {
    id,
    time: snapPoint(ctx, cmd.time),
    label: cmd.label ?? '',
    color: cmd.color === undefined ? DEFAULT_MARKER_COLOR : normalizeColor(cmd.color),
  });
  return { markerId: id };
}

export function removeMarker(ctx: PlanContext, cmd: RemoveMarkerCommand): CommandResults['removeMarker'] {
  if (ctx.ov.get('markers', cmd.markerId) === undefined) throw new UnknownIdError('marker', cmd.markerId);
  ctx.ov.delete('markers', cmd.markerId);
  return {};
}

function assetFacts(cmd: RegisterAssetCommand | UpdateAssetCommand, kind: AssetRec['kind']): Partial<Mutable<AssetRec>> {
  const patch: Partial<Mutable<AssetRec>> = {};
  if (cmd.name !== undefined) patch.name = cmd.name;
  if (cmd.duration !== undefined) {
    if (kind === 'image') throw new InvalidCommandError('duration', 'images have no duration');
    patch.duration = secondsToMicros(cmd.duration);
  }
  if (cmd.width !== undefined) patch.width = cmd.width;
  if (cmd.height !== undefined) patch.height = cmd.height;
  if (cmd.fps !== undefined) {
    if (kind !== 'video') throw new InvalidCommandError('fps', 'only video assets have a frame rate');
    patch.fps = checkFps(cmd.fps, 'fps', RANGES.assetFpsValue);
  }
  if (cmd.hasAudio !== undefined) {
    if (kind !== 'video') throw new InvalidCommandError('hasAudio', 'only video assets may say whether they have audio');
    patch.hasAudio = cmd.hasAudio;
  }
  return patch;
}

export function registerAsset(ctx: PlanContext, cmd: RegisterAssetCommand): CommandResults['registerAsset'] {
  if (cmd.assetId !== undefined && ctx.ov.get('assets', cmd.assetId) !== undefined) {
    throw new ConflictError(`asset ${JSON.stringify(cmd.assetId)} is already registered`);
  }
  checkLimit(ctx, 'assets');
  const id = cmd.assetId ?? newId(ctx, 'assets');
  ctx.ov.put('assets', {
    id,
    kind: cmd.kind,
    name: '',
    duration: null,
    width: null,
    height: null,
    fps: null,
    hasAudio: cmd.kind === 'audio' ? true : cmd.kind === 'image' ? false : null,
    ...assetFacts(cmd, cmd.kind),
  });
  return { assetId: id };
}

export function updateAsset(ctx: PlanContext, cmd: UpdateAssetCommand): CommandResults['updateAsset'] {
  const asset = requireAsset(ctx, cmd.assetId);
  ctx.ov.patch('assets', asset.id, assetFacts(cmd, asset.kind));
  return {};
}
