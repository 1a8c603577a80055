import { CutlineError } from '@cutline/shared/errors';
import { z } from 'zod';

/** An error answered as `{"error":{"code","message"}}` with its HTTP status. */
export class ApiError extends CutlineError {}

export class InvalidInputError extends ApiError {
  constructor(message: string) {
    super('invalid_input', message, 400);
  }
}

export class PayloadTooLargeError extends ApiError {
  constructor(limitBytes: number) {
    super('payload_too_large', `The request body is larger than the limit of ${limitBytes} bytes`, 413);
  }
}

export class TooManyRequestsError extends ApiError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('too_many_requests', message, 429);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** "body.email: Invalid email address" — the first problem, with where it is. */
export function describeZodError(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${where} is invalid`;
  const path = [where, ...issue.path.map(String)].join('.');
  return `${path}: ${issue.message}`;
}

/** Errors from other packages that carry a code (e.g. the timeline's) map by their code. */
type Coded = { code: string; message: string; status?: number };

function isCoded(error: unknown): error is Coded {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** Maps any thrown value to a status and body; unknown errors are 500 without details. */
export function toErrorResponse(error: unknown): { status: number; body: ReturnType<typeof errorBody>; headers?: Record<string, string> } {
  if (error instanceof TooManyRequestsError) {
    return { status: 429, body: errorBody(error.code, error.message), headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  // A stalled body (408): the rest of it will never be read, so the connection cannot serve
  // another request.
  if (error instanceof CutlineError && error.status === 408) {
    return { status: 408, body: errorBody(error.code, error.message), headers: { connection: 'close' } };
  }
  // 4xx are the caller's to fix; 503 says a dependency (sync, database) is down, retry later.
  if (error instanceof CutlineError && (error.status < 500 || error.status === 503)) {
    return { status: error.status, body: errorBody(error.code, error.message), ...(error.status === 503 ? { headers: { 'retry-after': '5' } } : {}) };
  }
  if (isCoded(error) && typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
    return { status: error.status, body: errorBody(error.code, error.message) };
  }
  return { status: 500, body: errorBody('internal', 'Something went wrong on our side; it has been logged') };
}
