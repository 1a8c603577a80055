import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { StorageTooLargeError } from './errors.ts';
import type { PutSource } from './types.ts';

/**
 * Copies `source` into an open file, chunk by chunk (never the whole file in memory),
 * and stops with StorageTooLargeError as soon as more than `maxBytes` arrived. Leaving the
 * loop early destroys the source stream, so an upload is cut off, not drained.
 */
export async function copyIntoFile(source: PutSource, handle: FileHandle, maxBytes = Number.POSITIVE_INFINITY): Promise<number> {
  const input = source instanceof Readable ? source : createReadStream(source.path);
  let bytes = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buffer.length;
    if (bytes > maxBytes) {
      input.destroy();
      throw new StorageTooLargeError(maxBytes);
    }
    await handle.write(buffer);
  }
  return bytes;
}
