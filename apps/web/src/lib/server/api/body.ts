import { ApiError, InvalidInputError, PayloadTooLargeError } from './errors.ts';

export const JSON_BODY_LIMIT = 1024 * 1024;
/** Deepest nesting of arrays and objects a JSON body may have (no route needs more than a few). */
export const MAX_JSON_DEPTH = 64;
/** How long a refused body is still read (and thrown away) after the answer went out. */
const LINGER_MS = 10_000;

/** The client stopped sending its body: answered 408, and the connection is closed. */
export class RequestTimeoutError extends ApiError {
  constructor(idleMs: number) {
    super('request_timeout', `The request body stalled: nothing arrived for ${idleMs / 1000} s`, 408);
  }
}

/** adapter-node's own BODY_SIZE_LIMIT cut the body short (its error carries only a status). */
class BodySizeLimitError extends ApiError {
  constructor() {
    super('payload_too_large', "The request body is larger than the server's BODY_SIZE_LIMIT", 413);
  }
}

/**
 * A request body read with an idle timeout, that can be refused without resetting the
 * connection. Refusing must not cancel the body: adapter-node's cancel destroys the socket,
 * and closing a socket with unread bytes sends TCP RST, which makes the client's kernel drop
 * our 413 before the client reads it. So a refused body is read and thrown away in the
 * background for a while (a "lingering close", as nginx does), and only then cut off.
 */
export class RequestBody {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null;
  private readonly idleMs: number;
  private discarding = false;

  constructor({ request, idleMs }: { request: Request; idleMs: number }) {
    this.reader = request.body && !request.body.locked ? request.body.getReader() : null;
    this.idleMs = idleMs;
  }

  /** The next chunk, or null at the end; throws RequestTimeoutError when the client stalls. */
  async read(idleMs = this.idleMs): Promise<Uint8Array | null> {
    if (!this.reader) return null;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RequestTimeoutError(idleMs)), idleMs);
    });
    try {
      const { done, value } = await Promise.race([this.reader.read(), stalled]);
      return done ? null : value;
    } catch (error) {
      if (error instanceof RequestTimeoutError) throw error;
      if ((error as { status?: unknown }).status === 413) throw new BodySizeLimitError();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The rest of the body as a stream (for busboy and storage); cancelling it discards. */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          if (this.discarding) return controller.close();
          const chunk = await this.read();
          if (this.discarding) return controller.close();
          if (chunk === null) controller.close();
          else controller.enqueue(chunk);
        },
        cancel: () => this.discard(),
      },
      { highWaterMark: 0 },
    );
  }

  /**
   * Refuses the rest of the body: reads and drops it in the background until it ends, the
   * client stalls, or LINGER_MS pass — then cuts the connection (the lesser evil).
   */
  discard(): void {
    if (this.discarding || !this.reader) return;
    this.discarding = true;
    const reader = this.reader;
    const deadline = Date.now() + LINGER_MS;
    void (async () => {
      try {
        for (;;) {
          const left = deadline - Date.now();
          if (left <= 0) break;
          if ((await this.read(Math.min(this.idleMs, left))) === null) return;
        }
      } catch {
        // stalled, or the client went away
      }
      await reader.cancel().catch(() => {});
    })();
  }
}

/** Discards an unread request body (a refused request) without resetting the connection. */
export function discardUnreadBody({ request, idleMs }: { request: Request; idleMs: number }): void {
  if (request.body && !request.body.locked) new RequestBody({ request, idleMs }).discard();
}

/**
 * Does `text` nest arrays and objects deeper than `max`? A linear scan before JSON.parse:
 * the parser itself copes with any depth, but every recursive walk after it (validation,
 * JSON.stringify on the way to sync) overflows the stack on a 200,000-deep body.
 */
export function jsonNestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Reads a JSON body, refusing more than `limit` bytes before buffering them, bodies nested
 * deeper than MAX_JSON_DEPTH, and bodies that stall for `idleMs`.
 */
export async function readJsonBody({ request, limit = JSON_BODY_LIMIT, idleMs }: { request: Request; limit?: number; idleMs: number }): Promise<unknown> {
  const body = new RequestBody({ request, idleMs });
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    body.discard();
    throw new InvalidInputError('Send the body as JSON with Content-Type: application/json');
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) {
    body.discard();
    throw new PayloadTooLargeError(limit);
  }
  if (!request.body) throw new InvalidInputError('The request has no body');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await body.read();
    if (chunk === null) break;
    size += chunk.byteLength;
    if (size > limit) {
      body.discard();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(chunk);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  if (jsonNestedDeeperThan(text, MAX_JSON_DEPTH)) throw new InvalidInputError(`The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInputError('The body is not valid JSON');
  }
}
