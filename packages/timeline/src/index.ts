// Public API of @cutline/timeline. See SPEC.md for the rules (TLn) behind each export.

export type { Rational } from './time.ts';
export {
  MAX_TIME_US,
  MICROS_PER_SECOND,
  frameIndexAt,
  frameStartMicros,
  frameTimeSeconds,
  microsToSeconds,
  nearestFrameIndex,
  secondsToMicros,
  snapPointMicros,
  snapSeconds,
} from './time.ts';
export type { IdGenerator } from './ids.ts';
export { ID_PATTERN, createId, isId, sequentialIds } from './ids.ts';
export {
  ConflictError,
  ForbiddenError,
  InvalidCommandError,
  InvalidSnapshotError,
  LimitExceededError,
  SchemaVersionError,
  TimelineError,
  TrackLockedError,
  UnknownIdError,
} from './errors.ts';
export type { TimelineErrorCode } from './errors.ts';
export type { ServerEditSource, TimelineOrigin, UserSource } from './origin.ts';
export { MIGRATION_ORIGIN, SERVER_EDIT_SOURCES, USER_SOURCES, isTimelineOrigin, originFor } from './origin.ts';
export type {
  AssetKind,
  ClipKind,
  FontFamily,
  SettingsRec,
  TextAlign,
  TrackKind,
  TransitionKind,
} from './model.ts';
export {
  ASSET_KINDS,
  CLIP_KINDS,
  DEFAULT_SETTINGS,
  DEFAULT_TEXT_STYLE,
  FONT_FAMILIES,
  LIMITS,
  RANGES,
  SCHEMA_VERSION,
  TEXT_ALIGNS,
  TRACK_ACCEPTS,
  TRACK_KINDS,
  TRANSITION_KINDS,
} from './model.ts';
export type { CreateTimelineDocOptions } from './doc.ts';
export { ROOT_NAMES, createTimelineDoc, getSchemaVersion, initTimelineDoc } from './doc.ts';
export type * from './commands/schema.ts';
export {
  COMMAND_BATCH_SCHEMA,
  COMMAND_SCHEMAS,
  COMMAND_TYPES,
  TIMELINE_COMMAND_SCHEMA,
  parseCommand,
} from './commands/schema.ts';
export type { CommandOptions } from './commands/apply.ts';
export { applyCommand, applyCommands } from './commands/apply.ts';
export type {
  SnapshotAsset,
  SnapshotClip,
  SnapshotMarker,
  SnapshotSettings,
  SnapshotTextStyle,
  SnapshotTrack,
  SnapshotTransition,
  TimelineSnapshot,
} from './snapshot.ts';
export { snapshot } from './snapshot.ts';
export { SNAPSHOT_SCHEMA, validateSnapshot } from './snapshot-schema.ts';
export type { LoadSnapshotOptions } from './load-snapshot.ts';
export { loadSnapshot } from './load-snapshot.ts';
export { checkInvariants } from './invariants.ts';
export type { AudioSource, Frame, Layer, LayerTransform, LayerTransition } from './evaluate.ts';
export { evaluate } from './evaluate.ts';
export type { AudioRamp, AudioSegment } from './audio-plan.ts';
export { audioPlan, audioSegmentGain } from './audio-plan.ts';
export type { Migration, MigrationResult } from './migrations.ts';
export { MIGRATIONS, migrate } from './migrations.ts';
export type { CreateUserUndoManagerOptions, UserUndoManager } from './undo.ts';
export { createUserUndoManager } from './undo.ts';
