// Named errors with stable string codes (TL40) so HTTP and MCP layers can map them to
// 4xx responses without parsing messages.

export type TimelineErrorCode =
  | 'invalid_command'
  | 'unknown_id'
  | 'limit_exceeded'
  | 'conflict'
  | 'track_locked'
  | 'schema_version'
  | 'forbidden'
  | 'invalid_snapshot';

export class TimelineError extends Error {
  readonly code: TimelineErrorCode;
  /** Index of the failing command inside an `applyCommands` batch. */
  commandIndex: number | undefined;

  constructor(code: TimelineErrorCode, message: string) {
    super(message);
    this.name = 'TimelineError';
    this.code = code;
    this.commandIndex = undefined;
  }
}

/** The command is malformed: wrong type, out of range, unknown field (path says where). */
export class InvalidCommandError extends TimelineError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('invalid_command', path === '' ? message : `${path}: ${message}`);
    this.name = 'InvalidCommandError';
    this.path = path;
  }
}

export class UnknownIdError extends TimelineError {
  readonly entity: string;
  readonly id: string;
  constructor(entity: string, id: string) {
    super('unknown_id', `unknown ${entity} id ${JSON.stringify(id)}`);
    this.name = 'UnknownIdError';
    this.entity = entity;
    this.id = id;
  }
}

export class LimitExceededError extends TimelineError {
  readonly limit: number;
  constructor(what: string, limit: number) {
    super('limit_exceeded', `too many ${what} (limit ${limit})`);
    this.name = 'LimitExceededError';
    this.limit = limit;
  }
}

/** The command is well-formed but contradicts the current state (overlap, taken id …). */
export class ConflictError extends TimelineError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}

export class TrackLockedError extends TimelineError {
  readonly trackId: string;
  constructor(trackId: string) {
    super('track_locked', `track ${JSON.stringify(trackId)} is locked`);
    this.name = 'TrackLockedError';
    this.trackId = trackId;
  }
}

export class SchemaVersionError extends TimelineError {
  readonly found: number | undefined;
  constructor(found: number | undefined, message: string) {
    super('schema_version', message);
    this.name = 'SchemaVersionError';
    this.found = found;
  }
}

export class ForbiddenError extends TimelineError {
  constructor(message: string) {
    super('forbidden', message);
    this.name = 'ForbiddenError';
  }
}

export class InvalidSnapshotError extends TimelineError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('invalid_snapshot', path === '' ? message : `${path}: ${message}`);
    this.name = 'InvalidSnapshotError';
    this.path = path;
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`timeline invariant broken: ${message}`);
}
