/**
 * The one behavioural contract every storage driver passes. `local.test.ts` runs it on
 * a temp directory; `s3.test.ts` runs it against a real S3-compatible server when
 * S3_TEST_* variables name one.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageKeyError, StorageNotFoundError, StorageRangeError, StorageTooLargeError } from './errors.ts';
import type { Storage } from './types.ts';

export type ContractSubject = {
  storage: Storage;
  /** Files the driver keeps on the side (temp uploads); must be empty between puts. */
  leftovers(): Promise<string[]>;
  cleanup(): Promise<void>;
};

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A stream that sends `bytes`, then fails as a dropped upload connection would. */
function failingStream(bytes: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(bytes);
      } else {
        this.destroy(new Error('connection reset by peer'));
      }
    },
  });
}

export function storageContract(name: string, create: () => Promise<ContractSubject>): void {
  describe(`storage contract: ${name}`, () => {
    let subject: ContractSubject;
    let storage: Storage;
    let scratch: string;
    // Keys unique to this run so a shared bucket is never clobbered.
    const run = `contract-${randomBytes(4).toString('hex')}`;
    const key = (leaf: string) => `${run}/${leaf}`;

    beforeAll(async () => {
      subject = await create();
      storage = subject.storage;
      scratch = await mkdtemp(join(tmpdir(), 'cutline-storage-contract-'));
    });
    afterAll(async () => {
      await subject?.cleanup();
      await rm(scratch, { recursive: true, force: true });
    });

    it('puts a stream and gets the same bytes back, with stat and exists', async () => {
      const body = randomBytes(300_000);
      expect(await storage.put(key('a/stream.bin'), Readable.from([body.subarray(0, 1000), body.subarray(1000)]))).toEqual({ size: body.length });
      expect(await readAll(await storage.get(key('a/stream.bin')))).toEqual(body);
      expect(await storage.stat(key('a/stream.bin'))).toEqual({ size: body.length });
      expect(await storage.exists(key('a/stream.bin'))).toBe(true);
    });

    it('puts a file from a path', async () => {
      const path = join(scratch, 'from-path.bin');
      const body = randomBytes(12_345);
      await writeFile(path, body);
      expect(await storage.put(key('from-path.bin'), { path })).toEqual({ size: body.length });
      expect(await readAll(await storage.get(key('from-path.bin')))).toEqual(body);
    });

    it('serves inclusive byte ranges, open-ended and clamped ones', async () => {
      const body = Buffer.from('0123456789');
      await storage.put(key('range.txt'), Readable.from([body]));
      expect((await readAll(await storage.get(key('range.txt'), { range: { start: 2, end: 5 } }))).toString()).toBe('2345');
      expect((await readAll(await storage.get(key('range.txt'), { range: { start: 7 } }))).toString()).toBe('789');
      expect((await readAll(await storage.get(key('range.txt'), { range: { start: 8, end: 100 } }))).toString()).toBe('89');
      expect((await readAll(await storage.get(key('range.txt'), { range: { start: 9, end: 9 } }))).toString()).toBe('9');
    });

    it('refuses ranges that cannot be satisfied', async () => {
      await storage.put(key('range2.txt'), Readable.from([Buffer.from('abc')]));
      await expect(storage.get(key('range2.txt'), { range: { start: 3 } })).rejects.toBeInstanceOf(StorageRangeError);
      await expect(storage.get(key('range2.txt'), { range: { start: 2, end: 1 } })).rejects.toBeInstanceOf(StorageRangeError);
      await expect(storage.get(key('range2.txt'), { range: { start: -1 } })).rejects.toBeInstanceOf(StorageRangeError);
    });

    it('stores and serves an empty object', async () => {
      expect(await storage.put(key('empty'), Readable.from([]))).toEqual({ size: 0 });
      expect(await storage.stat(key('empty'))).toEqual({ size: 0 });
      expect((await readAll(await storage.get(key('empty')))).length).toBe(0);
      await expect(storage.get(key('empty'), { range: { start: 0 } })).rejects.toBeInstanceOf(StorageRangeError);
    });

    it('reports missing keys as not found, and deleting one is not an error', async () => {
      await expect(storage.get(key('missing'))).rejects.toBeInstanceOf(StorageNotFoundError);
      await expect(storage.stat(key('missing'))).rejects.toBeInstanceOf(StorageNotFoundError);
      await expect(storage.localFile(key('missing'))).rejects.toBeInstanceOf(StorageNotFoundError);
      expect(await storage.exists(key('missing'))).toBe(false);
      await storage.delete(key('missing'));
    });

    it('replaces an object on a second put', async () => {
      await storage.put(key('replace'), Readable.from([Buffer.from('first version')]));
      await storage.put(key('replace'), Readable.from([Buffer.from('second')]));
      expect((await readAll(await storage.get(key('replace')))).toString()).toBe('second');
      expect(await storage.stat(key('replace'))).toEqual({ size: 6 });
    });

    it('deletes', async () => {
      await storage.put(key('gone/x.bin'), Readable.from([Buffer.from('x')]));
      await storage.delete(key('gone/x.bin'));
      expect(await storage.exists(key('gone/x.bin'))).toBe(false);
      await expect(storage.get(key('gone/x.bin'))).rejects.toBeInstanceOf(StorageNotFoundError);
    });

    it('never shows a half-written object while a put is in progress', async () => {
      const source = new PassThrough();
      const putting = storage.put(key('slow.bin'), source);
      source.write(randomBytes(64 * 1024));
      await new Promise((resolve) => setImmediate(resolve));
      expect(await storage.exists(key('slow.bin'))).toBe(false);
      source.end(randomBytes(1024));
      expect(await putting).toEqual({ size: 65 * 1024 });
      expect(await storage.exists(key('slow.bin'))).toBe(true);
    });

    it('leaves nothing behind when the source stream fails midway', async () => {
      await expect(storage.put(key('broken.bin'), failingStream(randomBytes(50_000)))).rejects.toThrow(/connection reset/);
      expect(await storage.exists(key('broken.bin'))).toBe(false);
      expect(await subject.leftovers()).toEqual([]);
    });

    it('keeps the old object when a replacing put fails', async () => {
      await storage.put(key('keep.txt'), Readable.from([Buffer.from('old')]));
      await expect(storage.put(key('keep.txt'), failingStream(Buffer.from('new, but cut off')))).rejects.toThrow();
      expect((await readAll(await storage.get(key('keep.txt')))).toString()).toBe('old');
    });

    it('stops at maxBytes, stores nothing and says so', async () => {
      await expect(storage.put(key('big.bin'), Readable.from([randomBytes(600), randomBytes(600)]), { maxBytes: 1000 })).rejects.toBeInstanceOf(
        StorageTooLargeError,
      );
      const path = join(scratch, 'big-file.bin');
      await writeFile(path, randomBytes(1001));
      await expect(storage.put(key('big.bin'), { path }, { maxBytes: 1000 })).rejects.toBeInstanceOf(StorageTooLargeError);
      expect(await storage.exists(key('big.bin'))).toBe(false);
      expect(await subject.leftovers()).toEqual([]);
      expect(await storage.put(key('exact.bin'), Readable.from([randomBytes(1000)]), { maxBytes: 1000 })).toEqual({ size: 1000 });
    });

    it('gives FFmpeg a local file with the bytes, released afterwards', async () => {
      const body = randomBytes(4096);
      await storage.put(key('local.bin'), Readable.from([body]));
      const file = await storage.localFile(key('local.bin'));
      expect(await readFile(file.path)).toEqual(body);
      await file.release();
      // The object itself is still there after a release.
      expect(await storage.exists(key('local.bin'))).toBe(true);
    });

    it('rejects keys that are not ours, on every method', async () => {
      const bad = ['', '../x', 'a/../b', '/abs', 'a//b', 'a/', 'Upper/case', 'a b', '.tmp/x', 'a/.hidden', 'a\\b', 'ü', 'a?b', `a/${'x'.repeat(600)}`];
      for (const k of bad) {
        await expect(storage.put(k, Readable.from([Buffer.from('x')])), k).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.get(k), k).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.stat(k), k).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.exists(k), k).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.delete(k), k).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.localFile(k), k).rejects.toBeInstanceOf(StorageKeyError);
      }
    });

    it('cleans up after itself', async () => {
      for (const leaf of ['a/stream.bin', 'from-path.bin', 'range.txt', 'range2.txt', 'empty', 'replace', 'slow.bin', 'keep.txt', 'exact.bin', 'local.bin']) {
        await storage.delete(key(leaf));
        expect(await storage.exists(key(leaf))).toBe(false);
      }
      expect(await subject.leftovers()).toEqual([]);
    });
  });
}
