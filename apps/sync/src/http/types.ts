/**
 * The HTTP surface of sync (/healthz, /metrics, the internal endpoints) written once
 * against this neutral shape; transport/node.ts and transport/uws.ts adapt their servers
 * to it.
 */
export type HttpRequest = {
  method: string;
  /** Path without the query string. */
  path: string;
  headers: Headers;
  /** Peer address of the TCP socket. */
  remoteAddress: string;
  /** The body, or null when it is longer than `limit` bytes (the caller answers 413). */
  readBody(limit: number): Promise<Uint8Array | null>;
};

export type HttpResponse = {
  status: number;
  headers?: Record<string, string>;
  body: string;
};

export type HttpHandler = (request: HttpRequest) => Promise<HttpResponse>;

export function json(status: number, value: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

export function jsonError(status: number, code: string, message: string, extra?: Record<string, unknown>): HttpResponse {
  return json(status, { error: { code, message, ...extra } });
}

/** Reason phrases for the status lines uWS needs written out. */
export function statusText(status: number): string {
  const texts: Record<number, string> = {
    200: 'OK',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    423: 'Locked',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return texts[status] ?? 'Unknown';
}
