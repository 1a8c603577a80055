/**
 * Named errors shared by every app. Each carries a stable `code` and the HTTP status an
 * edge handler should answer with, so routes map errors without string matching.
 */
export class CutlineError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** Configuration that cannot work: start-up stops with one line naming the variable. */
export class ConfigError extends CutlineError {
  constructor(message: string) {
    super('config_invalid', message, 500);
  }
}

/** The database is unreachable or refused us: start-up stops with one clear line. */
export class DatabaseUnavailableError extends CutlineError {
  constructor(message: string, options?: ErrorOptions) {
    super('database_unavailable', message, 503, options);
  }
}

export class AssertionFailedError extends CutlineError {
  constructor(message: string) {
    super('assertion_failed', message, 500);
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailedError(message);
}

/** One line for a human: the message of a CutlineError, or of anything else thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
