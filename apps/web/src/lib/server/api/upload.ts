import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import busboy from 'busboy';
import type { Storage } from '@cutline/shared/storage';
import { RequestBody } from './body.ts';
import { InvalidInputError, PayloadTooLargeError } from './errors.ts';

export type Uploaded = { size: number; sha256: string; filename: string | null; mimeType: string | null };

/**
 * Streams an upload straight into storage, hashing as it goes: nothing is buffered whole,
 * a body over `maxBytes` stops with 413 and stores nothing, and one that stalls for
 * `idleMs` stops with 408. The body is either the
 * raw file (any content type) or multipart/form-data whose first file field is used.
 */
export async function receiveUpload({
  request,
  storage,
  key,
  maxBytes,
  idleMs,
}: {
  request: Request;
  storage: Storage;
  key: string;
  maxBytes: number;
  /** A body that sends nothing for this long is refused with 408. */
  idleMs: number;
}): Promise<Uploaded> {
  const body = new RequestBody({ request, idleMs });
  const declared = Number(request.headers.get('content-length') ?? '0');
  // Refused at once, without waiting for bytes that may never come; the answer goes out
  // while the rest is drained in the background.
  if (declared > maxBytes) {
    body.discard();
    throw new PayloadTooLargeError(maxBytes);
  }
  if (!request.body) throw new InvalidInputError('The file is empty (0 bytes)');
  const contentType = request.headers.get('content-type') ?? '';
  const raw = Readable.fromWeb(body.stream() as import('node:stream/web').ReadableStream<Uint8Array>);
  // Seen through the file stream (raw body) or busboy (multipart).
  raw.on('error', () => {});
  let file: Readable;
  let filename: string | null = null;
  let mimeType: string | null = contentType || null;
  try {
    ({ file, filename, mimeType } = /^multipart\/form-data/i.test(contentType)
      ? await firstFilePart(raw, request.headers)
      : { file: raw, filename, mimeType });
  } catch (error) {
    body.discard();
    throw error;
  }

  const hash = createHash('sha256');
  let size = 0;
  const counted = new PassThrough();
  // Errors on this stream are seen through `storing`; without a listener, destroying it
  // with an error (over the limit) would be an unhandled 'error' event and kill the server.
  counted.on('error', () => {});
  const storing = storage.put(key, counted, { maxBytes, ...(mimeType ? { contentType: mimeType } : {}) });
  storing.catch(() => {}); // observed below; avoid an unhandled rejection while streaming
  try {
    for await (const chunk of file as AsyncIterable<Buffer>) {
      size += chunk.length;
      // A chunked body has no declared length: it is refused when it passes the limit.
      if (size > maxBytes) throw new PayloadTooLargeError(maxBytes);
      hash.update(chunk);
      await write(counted, chunk);
    }
    counted.end();
    await storing;
  } catch (error) {
    body.discard();
    if (!counted.destroyed) counted.destroy();
    await storing.catch(() => {});
    await storage.delete(key).catch(() => {});
    if (error instanceof PayloadTooLargeError || (error as { code?: string }).code === 'payload_too_large') throw new PayloadTooLargeError(maxBytes);
    throw error;
  }
  return { size, sha256: hash.digest('hex'), filename, mimeType };
}

/** The first file field of a multipart body, as a stream; other fields are ignored. */
function firstFilePart(body: Readable, headers: Headers): Promise<{ file: Readable; filename: string | null; mimeType: string | null }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: Object.fromEntries(headers), limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      reject(new InvalidInputError('The multipart body is malformed'));
      return;
    }
    let found: Readable | null = null;
    // pipe() does not forward errors: a stalled body (408) must still end the file stream.
    body.on('error', (error) => {
      if (found) found.destroy(error);
      else reject(error);
    });
    parser.on('file', (_field, stream, info) => {
      if (found) {
        stream.resume();
        return;
      }
      found = stream;
      resolve({ file: stream, filename: info.filename || null, mimeType: info.mimeType || null });
    });
    parser.on('error', (error) => reject(found ? error : new InvalidInputError('The multipart body is malformed')));
    parser.on('close', () => {
      if (!found) reject(new InvalidInputError('The multipart body has no file field'));
    });
    body.pipe(parser);
  });
}

/** Writes with backpressure; rejects if the stream fails or closes first. */
async function write(stream: Writable, chunk: Buffer): Promise<void> {
  if (stream.destroyed) throw stream.errored ?? new Error('upload stream closed');
  if (stream.write(chunk)) return;
  const ac = new AbortController();
  try {
    await Promise.race([once(stream, 'drain', { signal: ac.signal }), once(stream, 'close', { signal: ac.signal }).then(() => {
      throw stream.errored ?? new Error('upload stream closed');
    })]);
  } finally {
    ac.abort();
  }
}
