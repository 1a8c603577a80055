// The public command vocabulary (TL40): TypeScript types, validators and the JSON
// Schemas the REST/MCP/assistant layers publish, all defined here from one source.
// Times are seconds; the model snaps them to the frame grid (TL22).

import { ID_PATTERN } from '../ids.ts';
import {
  ASSET_KINDS,
  COLOR_PATTERN,
  FONT_FAMILIES,
  LIMITS,
  RANGES,
  TEXT_ALIGNS,
  TRACK_KINDS,
  TRANSITION_KINDS,
} from '../model.ts';
import type { AssetKind, FontFamily, TextAlign, TrackKind, TransitionKind } from '../model.ts';
import { MAX_TIME_US, MICROS_PER_SECOND } from '../time.ts';
import type { JsonSchema, Validator } from '../validator.ts';
import { array, boolean, literal, nullable, number, object, oneOf, string, tagged } from '../validator.ts';
import { InvalidCommandError } from '../errors.ts';

// ------------------------------------------------------------------ command types

export interface RationalInput {
  num: number;
  den: number;
}

export interface TextStyleInput {
  fontFamily?: FontFamily;
  fontSize?: number;
  color?: string;
  background?: { color: string; padding?: number } | null;
  align?: TextAlign;
}

export interface SetSettingsCommand {
  type: 'setSettings';
  width?: number;
  height?: number;
  fps?: RationalInput;
  background?: string;
  sampleRate?: number;
}
export interface AddTrackCommand {
  type: 'addTrack';
  kind: TrackKind;
  name?: string;
  index?: number;
}
export interface UpdateTrackCommand {
  type: 'updateTrack';
  trackId: string;
  name?: string;
  index?: number;
  muted?: boolean;
  hidden?: boolean;
  locked?: boolean;
}
export interface RemoveTrackCommand {
  type: 'removeTrack';
  trackId: string;
}
export interface AddClipCommand {
  type: 'addClip';
  trackId: string;
  assetId: string;
  start: number;
  duration?: number;
  sourceIn?: number;
}
export interface AddTextClipCommand {
  type: 'addTextClip';
  trackId: string;
  text: string;
  start: number;
  duration: number;
  style?: TextStyleInput;
  x?: number;
  y?: number;
}
export interface AddColorClipCommand {
  type: 'addColorClip';
  trackId: string;
  color: string;
  start: number;
  duration: number;
}
export interface UpdateClipCommand {
  type: 'updateClip';
  clipId: string;
  volume?: number;
  fadeIn?: number;
  fadeOut?: number;
  opacity?: number;
  x?: number;
  y?: number;
  scale?: number;
  rotation?: number;
  speed?: number;
  sourceIn?: number;
  text?: string;
  style?: TextStyleInput;
  color?: string;
}
export interface MoveClipCommand {
  type: 'moveClip';
  clipId: string;
  start: number;
  trackId?: string;
}
export interface TrimClipCommand {
  type: 'trimClip';
  clipId: string;
  edge: 'start' | 'end';
  to: number;
}
export interface SplitClipCommand {
  type: 'splitClip';
  clipId: string;
  at: number;
}
export interface RemoveClipCommand {
  type: 'removeClip';
  clipId: string;
}
export interface RippleDeleteCommand {
  type: 'rippleDelete';
  clipId: string;
}
export interface AddTransitionCommand {
  type: 'addTransition';
  fromClipId: string;
  toClipId: string;
  kind: TransitionKind;
  duration: number;
}
export interface RemoveTransitionCommand {
  type: 'removeTransition';
  transitionId: string;
}
export interface AddMarkerCommand {
  type: 'addMarker';
  time: number;
  label?: string;
  color?: string;
}
export interface RemoveMarkerCommand {
  type: 'removeMarker';
  markerId: string;
}
export interface RegisterAssetCommand {
  type: 'registerAsset';
  assetId?: string;
  kind: AssetKind;
  name?: string;
  duration?: number;
  width?: number;
  height?: number;
  fps?: RationalInput;
  hasAudio?: boolean;
}
export interface UpdateAssetCommand {
  type: 'updateAsset';
  assetId: string;
  name?: string;
  duration?: number;
  width?: number;
  height?: number;
  fps?: RationalInput;
  hasAudio?: boolean;
}

export type TimelineCommand =
  | SetSettingsCommand
  | AddTrackCommand
  | UpdateTrackCommand
  | RemoveTrackCommand
  | AddClipCommand
  | AddTextClipCommand
  | AddColorClipCommand
  | UpdateClipCommand
  | MoveClipCommand
  | TrimClipCommand
  | SplitClipCommand
  | RemoveClipCommand
  | RippleDeleteCommand
  | AddTransitionCommand
  | RemoveTransitionCommand
  | AddMarkerCommand
  | RemoveMarkerCommand
  | RegisterAssetCommand
  | UpdateAssetCommand;

export type CommandType = TimelineCommand['type'];
type Empty = Record<string, never>;

/** What each command returns: the ids it created (TL40). */
export interface CommandResults {
  setSettings: Empty;
  addTrack: { trackId: string };
  updateTrack: Empty;
  removeTrack: Empty;
  addClip: { clipId: string };
  addTextClip: { clipId: string };
  addColorClip: { clipId: string };
  updateClip: Empty;
  moveClip: Empty;
  trimClip: Empty;
  splitClip: { clipIds: [string, string] };
  removeClip: Empty;
  rippleDelete: Empty;
  addTransition: { transitionId: string };
  removeTransition: Empty;
  addMarker: { markerId: string };
  removeMarker: Empty;
  registerAsset: { assetId: string };
  updateAsset: Empty;
}
export type CommandResult<T extends CommandType = CommandType> = CommandResults[T];

// ------------------------------------------------------------------ field validators

const MAX_SECONDS = MAX_TIME_US / MICROS_PER_SECOND;

/** `$N.field` or `$N.field.M`: an id created by command N of the same batch (TL43). */
export const REF_PATTERN = '^\\$[0-9]{1,4}\\.[A-Za-z]+(\\.[0-9]{1,3})?$';
// ID_PATTERN or REF_PATTERN; a test checks it against both.
export const ID_REF_PATTERN = '^([A-Za-z0-9_-]{1,64}|\\$[0-9]{1,4}\\.[A-Za-z]+(\\.[0-9]{1,3})?)$';

const newId = string({ maxLength: 64, pattern: ID_PATTERN, description: 'Id: 1–64 of A–Z a–z 0–9 _ -' });

function idRef(entity: string): Validator<string> {
  const inner = string({ maxLength: 64, pattern: ID_REF_PATTERN });
  return {
    schema: {
      ...inner.schema,
      description: `Id of an existing ${entity}, or inside a batch a reference like "$0.${entity}Id" to an id created by an earlier command`,
    },
    parse(value, path) {
      const id = inner.parse(value, path);
      if (id.startsWith('$')) {
        throw new InvalidCommandError(path, 'references ($N.field) work only inside applyCommands and must point to an earlier command');
      }
      return id;
    },
  };
}

const time = (description: string): Validator<number> => number({ min: 0, max: MAX_SECONDS, description: `${description}, seconds; snapped to the nearest frame` });
const length = (description: string): Validator<number> =>
  number({ min: 0, max: MAX_SECONDS, exclusiveMin: true, description: `${description}, seconds; snapped to whole frames` });
const fade = (description: string): Validator<number> => number({ min: 0, max: MAX_SECONDS, description: `${description}, seconds; snapped to whole frames` });
const sourceSeconds = number({ min: 0, max: MAX_SECONDS, description: 'Offset into the source media, seconds (not snapped)' });
const ranged = (r: { min: number; max: number }, description: string): Validator<number> => number({ min: r.min, max: r.max, description });
const color = (description: string): Validator<string> => string({ maxLength: 9, pattern: COLOR_PATTERN, description: `${description}: #rrggbb or #rrggbbaa` });
const name = string({ maxLength: LIMITS.nameLength });
const trackIndex = number({ min: 0, max: LIMITS.tracks, integer: true, description: 'Position in the track list, 0 = bottom' });

const fpsTerm = number({ min: RANGES.fpsTerm.min, max: RANGES.fpsTerm.max, integer: true });
const fpsInput = object(
  { num: fpsTerm, den: fpsTerm },
  {},
  { description: `Frame rate num/den, e.g. 24000/1001; between ${RANGES.fpsValue.min} and ${RANGES.fpsValue.max} fps` },
);

const assetFpsInput = object(
  { num: fpsTerm, den: fpsTerm },
  {},
  { description: `Probed frame rate num/den, between ${RANGES.assetFpsValue.min} and ${RANGES.assetFpsValue.max} fps` },
);

const textStyle: Validator<TextStyleInput> = object(
  {},
  {
    fontFamily: oneOf(FONT_FAMILIES, 'One of the bundled font families'),
    fontSize: ranged(RANGES.fontSize, 'Font size in pixels at the project resolution'),
    color: color('Text colour'),
    background: nullable(
      object({ color: color('Box colour') }, { padding: ranged(RANGES.boxPadding, 'Box padding in pixels') }, { description: 'Box behind the text; null for none' }),
    ),
    align: oneOf(TEXT_ALIGNS),
  },
);

const opacity = ranged(RANGES.opacity, 'Opacity 0–1');
const posX = ranged(RANGES.x, 'Horizontal centre, 0 = left edge, 1 = right edge');
const posY = ranged(RANGES.y, 'Vertical centre, 0 = top edge, 1 = bottom edge');
const assetDuration = number({ min: 0, max: MAX_SECONDS, exclusiveMin: true, description: 'Media length, seconds' });
const pixels = number({ min: 1, max: 65_535, integer: true });

// ------------------------------------------------------------------ command validators

type Validators = { [K in CommandType]: Validator<Extract<TimelineCommand, { type: K }>> };

export const COMMAND_VALIDATORS: Validators = {
  setSettings: object(
    { type: literal('setSettings') },
    {
      width: number({ ...RANGES.dimension, integer: true, multipleOf: 2, description: 'Output width in pixels (even)' }),
      height: number({ ...RANGES.dimension, integer: true, multipleOf: 2, description: 'Output height in pixels (even)' }),
      fps: fpsInput,
      background: color('Colour shown where no clip covers the frame'),
      sampleRate: number({ ...RANGES.sampleRate, integer: true, description: 'Audio sample rate, Hz' }),
    },
    { minProperties: 2, description: 'Change project settings. Changing fps does not move existing clips.' },
  ),
  addTrack: object(
    { type: literal('addTrack'), kind: oneOf(TRACK_KINDS) },
    { name, index: trackIndex },
    { description: 'Add a track; without index it goes on top. Returns {trackId}.' },
  ),
  updateTrack: object(
    { type: literal('updateTrack'), trackId: idRef('track') },
    { name, index: trackIndex, muted: boolean(), hidden: boolean(), locked: boolean() },
    { minProperties: 3, description: 'Rename, reorder, mute, hide or lock a track.' },
  ),
  removeTrack: object({ type: literal('removeTrack'), trackId: idRef('track') }, {}, { description: 'Remove a track and every clip on it.' }),
  addClip: object(
    { type: literal('addClip'), trackId: idRef('track'), assetId: idRef('asset'), start: time('Timeline position') },
    { duration: length('Clip length (default: rest of the media; 5 s for images)'), sourceIn: sourceSeconds },
    { description: 'Place a registered video, audio or image asset on a track. Returns {clipId}.' },
  ),
  addTextClip: object(
    {
      type: literal('addTextClip'),
      trackId: idRef('track'),
      text: string({ maxLength: LIMITS.textLength }),
      start: time('Timeline position'),
      duration: length('Clip length'),
    },
    { style: textStyle, x: posX, y: posY },
    { description: 'Add a text (title) clip. Returns {clipId}.' },
  ),
  addColorClip: object(
    { type: literal('addColorClip'), trackId: idRef('track'), color: color('Fill colour'), start: time('Timeline position'), duration: length('Clip length') },
    {},
    { description: 'Add a solid colour clip. Returns {clipId}.' },
  ),
  updateClip: object(
    { type: literal('updateClip'), clipId: idRef('clip') },
    {
      volume: ranged(RANGES.volume, 'Gain, 1 = unchanged'),
      fadeIn: fade('Fade-in length'),
      fadeOut: fade('Fade-out length'),
      opacity,
      x: posX,
      y: posY,
      scale: ranged(RANGES.scale, 'Scale, 1 = fit the frame'),
      rotation: ranged(RANGES.rotation, 'Rotation in degrees, clockwise'),
      speed: ranged(RANGES.speed, 'Playback speed; the clip keeps its timeline length'),
      sourceIn: sourceSeconds,
      text: string({ maxLength: LIMITS.textLength }),
      style: textStyle,
      color: color('Fill colour'),
    },
    { minProperties: 3, description: 'Change clip properties. Fields must fit the clip kind.' },
  ),
  moveClip: object(
    { type: literal('moveClip'), clipId: idRef('clip'), start: time('New timeline position') },
    { trackId: idRef('track') },
    { description: 'Move a clip in time and optionally to another track.' },
  ),
  trimClip: object(
    { type: literal('trimClip'), clipId: idRef('clip'), edge: oneOf(['start', 'end'] as const), to: time('New position of that edge') },
    {},
    { description: 'Move the start or end edge of a clip; the media under the other edge stays put.' },
  ),
  splitClip: object(
    { type: literal('splitClip'), clipId: idRef('clip'), at: time('Cut position, strictly inside the clip') },
    {},
    { description: 'Cut a clip in two. Returns {clipIds: [left, right]}; the left part keeps the id.' },
  ),
  removeClip: object({ type: literal('removeClip'), clipId: idRef('clip') }, {}, { description: 'Remove a clip, leaving a gap.' }),
  rippleDelete: object(
    { type: literal('rippleDelete'), clipId: idRef('clip') },
    {},
    { description: 'Remove a clip and pull every later clip on the same track left to close the gap.' },
  ),
  addTransition: object(
    {
      type: literal('addTransition'),
      fromClipId: idRef('clip'),
      toClipId: idRef('clip'),
      kind: oneOf(TRANSITION_KINDS),
      duration: length('Transition length, centred on the cut'),
    },
    {},
    { description: 'Transition between two adjacent clips on one track, centred on the cut. Returns {transitionId}.' },
  ),
  removeTransition: object({ type: literal('removeTransition'), transitionId: idRef('transition') }, {}, { description: 'Remove a transition.' }),
  addMarker: object(
    { type: literal('addMarker'), time: time('Marker position') },
    { label: name, color: color('Marker colour') },
    { description: 'Add a marker. Returns {markerId}.' },
  ),
  removeMarker: object({ type: literal('removeMarker'), markerId: idRef('marker') }, {}, { description: 'Remove a marker.' }),
  registerAsset: object(
    { type: literal('registerAsset'), kind: oneOf(ASSET_KINDS) },
    { assetId: newId, name, duration: assetDuration, width: pixels, height: pixels, fps: assetFpsInput, hasAudio: boolean() },
    { description: 'Make an uploaded media file usable on the timeline. Returns {assetId}.' },
  ),
  updateAsset: object(
    { type: literal('updateAsset'), assetId: idRef('asset') },
    { name, duration: assetDuration, width: pixels, height: pixels, fps: assetFpsInput, hasAudio: boolean() },
    { minProperties: 3, description: 'Fill in probed asset facts (ingest).' },
  ),
};

export const COMMAND_TYPES = Object.keys(COMMAND_VALIDATORS) as CommandType[];

const commandValidator: Validator<TimelineCommand> = tagged<TimelineCommand>('type', COMMAND_VALIDATORS, 'One timeline command');

/** Validate untrusted JSON as a command (shape and ranges only; ids are checked on apply). */
export function parseCommand(value: unknown): TimelineCommand {
  return commandValidator.parse(value, '');
}

const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** JSON Schema of each command, e.g. for MCP tool input schemas. */
export const COMMAND_SCHEMAS: { readonly [K in CommandType]: JsonSchema } = (() => {
  const out: Partial<Record<CommandType, JsonSchema>> = {};
  for (const type of COMMAND_TYPES) out[type] = { $schema: JSON_SCHEMA_DIALECT, title: type, ...COMMAND_VALIDATORS[type].schema };
  return out as { [K in CommandType]: JsonSchema };
})();

/** JSON Schema of any one command (a oneOf over the commands). */
export const TIMELINE_COMMAND_SCHEMA: JsonSchema = { $schema: JSON_SCHEMA_DIALECT, title: 'TimelineCommand', ...commandValidator.schema };

const batchValidator = array(commandValidator, { maxItems: LIMITS.batchCommands, description: 'Commands applied atomically, in order' });

/** JSON Schema of an `applyCommands` batch. */
export const COMMAND_BATCH_SCHEMA: JsonSchema = { $schema: JSON_SCHEMA_DIALECT, title: 'TimelineCommandBatch', ...batchValidator.schema };
