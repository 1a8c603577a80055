import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import busboy from 'busboy';
import type { Storage } from '@cutline/shared/storage';
import { InvalidInputError, PayloadTooLargeError } from './errors.ts';

export type Uploaded = { size: number; sha256: string; filename: string | null; mimeType: string | null };

/**
 * Streams an upload straight into storage, hashing as it goes: nothing is buffered whole,
 * and a body over `maxBytes` stops with 413 and stores nothing. The body is either the
 * raw file (any content type) or multipart/form-data whose first file field is used.
 */
export async function receiveUpload({
  request,
  storage,
  key,
  maxBytes,
}: {
  request: Request;
  storage: Storage;
  key: string;
  maxBytes: number;
}): Promise<Uploaded> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await drain(request);
    throw new PayloadTooLargeError(maxBytes);
  }
  if (!request.body) throw new InvalidInputError('The file is empty (0 bytes)');
  const contentType = request.headers.get('content-type') ?? '';
  const body = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>);
  const { file, filename, mimeType } = /^multipart\/form-data/i.test(contentType)
    ? await firstFilePart(body, request.headers)
    : { file: body, filename: null, mimeType: contentType || null };

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
      if (size > maxBytes) {
        // Stop storing, but keep reading (up to the drain limit) so the client gets a 413
        // rather than a reset connection.
        if (!counted.destroyed) counted.destroy(new PayloadTooLargeError(maxBytes));
        if (size - maxBytes > DRAIN_LIMIT) break;
        continue;
      }
      hash.update(chunk);
      await write(counted, chunk);
    }
    if (size > maxBytes) throw new PayloadTooLargeError(maxBytes);
    counted.end();
    await storing;
  } catch (error) {
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
    let found = false;
    parser.on('file', (_field, stream, info) => {
      if (found) {
        stream.resume();
        return;
      }
      found = true;
      resolve({ file: stream, filename: info.filename || null, mimeType: info.mimeType || null });
    });
    parser.on('error', (error) => reject(found ? error : new InvalidInputError('The multipart body is malformed')));
    parser.on('close', () => {
      if (!found) reject(new InvalidInputError('The multipart body has no file field'));
    });
    body.pipe(parser);
  });
}

const DRAIN_LIMIT = 8 * 1024 * 1024;

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

/**
 * Reads and discards what is left of a refused body (up to 8 MiB), so the client gets our
 * 413 instead of a connection reset: closing a socket with unread bytes sends TCP RST.
 * A larger remainder is cut off; that client sees a reset, which is the lesser evil.
 */
async function drain(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = request.body.getReader();
  } catch {
    return;
  }
  let read = 0;
  try {
    while (read < DRAIN_LIMIT) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // the client went away
  }
}
