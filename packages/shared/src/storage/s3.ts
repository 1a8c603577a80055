import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AwsClient } from 'aws4fetch';
import { StorageBackendError, StorageNotFoundError, StorageRangeError, StorageTooLargeError } from './errors.ts';
import { assertValidKey } from './keys.ts';
import { copyIntoFile } from './limit.ts';
import { assertRangeShape } from './range.ts';
import type { ByteRange, LocalFile, PutOptions, PutSource, Storage } from './types.ts';

/** S3's limit for one PutObject; larger objects need a multipart upload (not built yet). */
export const S3_SINGLE_PUT_LIMIT = 5 * 1024 ** 3;

export type S3StorageOptions = {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://host/bucket/key` (MinIO, most self-hosted) instead of `https://bucket.host/key`. */
  forcePathStyle: boolean;
};

/**
 * S3-compatible object storage over plain signed HTTP (aws4fetch, no AWS SDK). A PutObject
 * becomes visible only when complete, which gives the same no-half-files guarantee as the
 * local driver's rename.
 */
export function createS3Storage(options: S3StorageOptions): Storage {
  const credentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, service: 's3', region: options.region };
  // Reads and deletes may be retried by aws4fetch (5xx, 429); a PUT body is a stream that
  // can be sent only once, so uploads go through a client that never retries.
  const client = new AwsClient({ ...credentials, retries: 3, initRetryMs: 100 });
  const uploadClient = new AwsClient({ ...credentials, retries: 0 });
  const endpoint = new URL(options.endpoint);

  const urlOf = (key: string): string => {
    assertValidKey(key);
    // Keys use only [a-z0-9/_.-], so they need no escaping in a URL path.
    if (options.forcePathStyle) {
      return `${endpoint.origin}${endpoint.pathname.replace(/\/$/, '')}/${options.bucket}/${key}`;
    }
    return `${endpoint.protocol}//${options.bucket}.${endpoint.host}${endpoint.pathname.replace(/\/$/, '')}/${key}`;
  };

  const fail = async (response: Response, what: string, key: string): Promise<never> => {
    const text = await response.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? '';
    if (response.status === 404) throw new StorageNotFoundError(key);
    throw new StorageBackendError(`S3 ${what} ${key} failed: HTTP ${response.status}${code ? ` ${code}` : ''}`);
  };

  const head = async (key: string): Promise<Response> => {
    const response = await client.fetch(urlOf(key), { method: 'HEAD' });
    if (!response.ok) return fail(response, 'HEAD', key);
    return response;
  };

  const sizeOf = async (key: string): Promise<number> => {
    const length = Number((await head(key)).headers.get('content-length'));
    if (!Number.isSafeInteger(length)) throw new StorageBackendError(`S3 HEAD ${key} gave no content-length`);
    return length;
  };

  /** A stream of unknown length is spooled to a temp file first: S3 needs Content-Length. */
  const spool = async (source: PutSource, maxBytes: number): Promise<{ path: string; size: number; cleanup(): Promise<void> }> => {
    if (!(source instanceof Readable)) {
      const handle = await open(source.path, 'r');
      try {
        const size = (await handle.stat()).size;
        if (size > maxBytes) throw new StorageTooLargeError(maxBytes);
        return { path: source.path, size, cleanup: async () => {} };
      } finally {
        await handle.close();
      }
    }
    const dir = await mkdtemp(join(tmpdir(), 'cutline-s3-put-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    try {
      const path = join(dir, 'body');
      const handle = await open(path, 'wx');
      try {
        const size = await copyIntoFile(source, handle, maxBytes);
        return { path, size, cleanup };
      } finally {
        await handle.close();
      }
    } catch (error) {
      await cleanup();
      throw error;
    }
  };

  const storage: Storage = {
    driver: 's3',

    async put(key: string, source: PutSource, putOptions: PutOptions = {}) {
      const url = urlOf(key);
      const body = await spool(source, Math.min(putOptions.maxBytes ?? S3_SINGLE_PUT_LIMIT, S3_SINGLE_PUT_LIMIT));
      try {
        const headers: Record<string, string> = { 'content-length': String(body.size) };
        if (putOptions.contentType) headers['content-type'] = putOptions.contentType;
        const response = await uploadClient.fetch(url, {
          method: 'PUT',
          headers,
          body: Readable.toWeb(createReadStream(body.path)) as ReadableStream<Uint8Array>,
          // Node's fetch streams a body only in half-duplex mode.
          duplex: 'half',
        } as RequestInit);
        if (!response.ok) await fail(response, 'PUT', key);
        await response.body?.cancel();
        return { size: body.size };
      } finally {
        await body.cleanup();
      }
    },

    async get(key: string, getOptions: { range?: ByteRange } = {}) {
      const url = urlOf(key);
      const headers: Record<string, string> = {};
      if (getOptions.range) {
        assertRangeShape(getOptions.range);
        headers.range = `bytes=${getOptions.range.start}-${getOptions.range.end ?? ''}`;
      }
      const response = await client.fetch(url, { headers });
      if (response.status === 416) {
        await response.body?.cancel();
        // S3 names the size in Content-Range (`bytes */123`) where it can.
        const size = Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? Number.NaN);
        throw new StorageRangeError(`Range start ${getOptions.range?.start} is past the end of ${key}`, Number.isFinite(size) ? size : null);
      }
      if (!response.ok) return fail(response, 'GET', key);
      if (!response.body) return Readable.from([]);
      return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    },

    async stat(key: string) {
      return { size: await sizeOf(key) };
    },

    async exists(key: string) {
      try {
        await head(key);
        return true;
      } catch (error) {
        if (error instanceof StorageNotFoundError) return false;
        throw error;
      }
    },

    async delete(key: string) {
      const response = await client.fetch(urlOf(key), { method: 'DELETE' });
      // S3 answers 204 whether or not the key existed; some compatibles answer 404.
      if (!response.ok && response.status !== 404) await fail(response, 'DELETE', key);
      await response.body?.cancel();
    },

    async localFile(key: string): Promise<LocalFile> {
      // FFmpeg could read a presigned URL, but MP4s with the index at the end make it seek
      // back and forth over HTTP; one sequential download to a temp file is faster and safer.
      const dir = await mkdtemp(join(tmpdir(), 'cutline-s3-get-'));
      const release = () => rm(dir, { recursive: true, force: true });
      try {
        const path = join(dir, 'object');
        await pipeline(await storage.get(key), createWriteStream(path, { flags: 'wx' }));
        return { path, release };
      } catch (error) {
        await release();
        throw error;
      }
    },
  };
  return storage;
}
