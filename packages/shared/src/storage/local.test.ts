import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createStorage, LOCAL_TEMP_DIR } from './index.ts';
import { createLocalStorage } from './local.ts';
import { storageContract } from './storage.contract.ts';

async function tree(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).map(String).sort();
  } catch {
    return [];
  }
}

storageContract('local disk', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cutline-storage-local-'));
  return {
    storage: createLocalStorage({ root }),
    leftovers: () => tree(join(root, LOCAL_TEMP_DIR)),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe('local storage specifics', () => {
  it('lays keys out as paths under the root and hands FFmpeg the real path', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cutline-storage-local-'));
    try {
      const storage = createLocalStorage({ root });
      await storage.put('assets/abc/original', Readable.from([Buffer.from('x')]));
      const file = await storage.localFile('assets/abc/original');
      expect(file.path).toBe(join(root, 'assets', 'abc', 'original'));
      await storage.delete('assets/abc/original');
      // Empty directories go with the last object in them; the root stays.
      expect(await tree(root)).toEqual([LOCAL_TEMP_DIR]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('is what createStorage picks without S3_BUCKET, rooted at STORAGE_DIR', () => {
    expect(createStorage(loadConfig({ STORAGE_DIR: '/tmp/x' })).driver).toBe('local');
  });

  it('createStorage picks S3 when S3_BUCKET is set', () => {
    const storage = createStorage(
      loadConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }),
    );
    expect(storage.driver).toBe('s3');
    expect(() => createStorage(loadConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9' }))).toThrow(/S3_ACCESS_KEY_ID/);
  });
});
