// JSON Schema of a snapshot and the matching validator (TL9, TL41), from one definition.
// The render farm stores snapshots as JSON and reads them back through this.

import { InvalidCommandError, InvalidSnapshotError } from './errors.ts';
import { ID_PATTERN } from './ids.ts';
import {
  ASSET_KINDS,
  CLIP_KINDS,
  COLOR_PATTERN,
  FONT_FAMILIES,
  LIMITS,
  RANGES,
  SCHEMA_VERSION,
  TEXT_ALIGNS,
  TRACK_KINDS,
  TRANSITION_KINDS,
} from './model.ts';
import type { TimelineSnapshot } from './snapshot.ts';
import { deepFreeze } from './snapshot.ts';
import { MAX_TIME_US, MICROS_PER_SECOND } from './time.ts';
import type { JsonSchema, Validator } from './validator.ts';
import { array, boolean, literal, nullable, number, object, oneOf, string } from './validator.ts';

const MAX_SECONDS = MAX_TIME_US / MICROS_PER_SECOND;
const id = string({ maxLength: 64, pattern: ID_PATTERN });
const seconds = number({ min: 0, max: MAX_SECONDS * RANGES.speed.max });
const positiveSeconds = number({ min: 0, max: MAX_SECONDS, exclusiveMin: true });
const color = string({ maxLength: 9, pattern: COLOR_PATTERN });
const name = string({ maxLength: LIMITS.nameLength });
const ranged = (r: { min: number; max: number }): Validator<number> => number(r);
const fps = object({ num: number({ ...RANGES.fpsTerm, integer: true }), den: number({ ...RANGES.fpsTerm, integer: true }) }, {});

const settings = object(
  {
    width: number({ ...RANGES.dimension, integer: true, multipleOf: 2 }),
    height: number({ ...RANGES.dimension, integer: true, multipleOf: 2 }),
    fps,
    background: color,
    sampleRate: number({ ...RANGES.sampleRate, integer: true }),
  },
  {},
);

const track = object({ id, kind: oneOf(TRACK_KINDS), name, muted: boolean(), hidden: boolean(), locked: boolean() }, {});

const style = object(
  {
    fontFamily: oneOf(FONT_FAMILIES),
    fontSize: ranged(RANGES.fontSize),
    color,
    background: nullable(object({ color, padding: ranged(RANGES.boxPadding) }, {})),
    align: oneOf(TEXT_ALIGNS),
  },
  {},
);

const clip = object(
  {
    id,
    trackId: id,
    kind: oneOf(CLIP_KINDS),
    start: number({ min: 0, max: MAX_SECONDS }),
    duration: positiveSeconds,
    sourceIn: seconds,
    speed: ranged(RANGES.speed),
    volume: ranged(RANGES.volume),
    fadeIn: number({ min: 0, max: MAX_SECONDS }),
    fadeOut: number({ min: 0, max: MAX_SECONDS }),
    opacity: ranged(RANGES.opacity),
    x: ranged(RANGES.x),
    y: ranged(RANGES.y),
    scale: ranged(RANGES.scale),
    rotation: ranged(RANGES.rotation),
    assetId: nullable(id),
    text: nullable(string({ maxLength: LIMITS.textLength })),
    style: nullable(style),
    color: nullable(color),
  },
  {},
);

const transition = object({ id, fromClipId: id, toClipId: id, kind: oneOf(TRANSITION_KINDS), duration: positiveSeconds }, {});
const marker = object({ id, time: number({ min: 0, max: MAX_SECONDS }), label: name, color }, {});
const asset = object(
  {
    id,
    kind: oneOf(ASSET_KINDS),
    name,
    duration: nullable(positiveSeconds),
    width: nullable(number({ min: 1, max: 65_535, integer: true })),
    height: nullable(number({ min: 1, max: 65_535, integer: true })),
    fps: nullable(fps),
    hasAudio: nullable(boolean()),
  },
  {},
);

const snapshotValidator = object(
  {
    version: literal(SCHEMA_VERSION),
    settings,
    duration: number({ min: 0, max: MAX_SECONDS }),
    tracks: array(track, { maxItems: LIMITS.tracks }),
    clips: array(clip, { maxItems: LIMITS.clips }),
    transitions: array(transition, { maxItems: LIMITS.transitions }),
    markers: array(marker, { maxItems: LIMITS.markers }),
    assets: array(asset, { maxItems: LIMITS.assets }),
  },
  {},
  { description: 'A resolved Cutline timeline; times in seconds' },
);

/** JSON Schema of `TimelineSnapshot`. */
export const SNAPSHOT_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'TimelineSnapshot',
  ...snapshotValidator.schema,
};

/** Check untrusted JSON against the snapshot schema; returns a frozen copy. */
export function validateSnapshot(value: unknown): TimelineSnapshot {
  let parsed: TimelineSnapshot;
  try {
    parsed = snapshotValidator.parse(value, '') as TimelineSnapshot;
  } catch (e) {
    if (e instanceof InvalidCommandError) throw new InvalidSnapshotError(e.path, e.message);
    throw e;
  }
  return deepFreeze(parsed);
}
