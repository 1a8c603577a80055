/**
 * An `/api/v1` answer of the form `{"error":{"code","message"}}`, thrown by the client so
 * callers handle failures with try/catch and show `message` to people as is.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor({ code, message, status }: { code: string; message: string; status: number }) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/** No answer at all (offline, server down): status 0, so it is never confused with a 4xx. */
export class NetworkError extends ApiError {
  constructor(cause: unknown) {
    super({ code: 'network', message: 'Cannot reach Cutline; check your connection', status: 0 });
    this.cause = cause;
  }
}

/** The message to show for anything a call may throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the error envelope; anything else becomes a generic error with the HTTP status. */
export function toApiError(status: number, body: unknown): ApiError {
  if (isRecord(body) && isRecord(body.error)) {
    const { code, message } = body.error;
    if (typeof code === 'string' && typeof message === 'string') return new ApiError({ code, message, status });
  }
  return new ApiError({ code: `http_${status}`, message: `The server answered ${status}`, status });
}
