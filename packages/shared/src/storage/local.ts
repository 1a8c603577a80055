import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { StorageNotFoundError } from './errors.ts';
import { assertValidKey } from './keys.ts';
import { copyIntoFile } from './limit.ts';
import { resolveRange } from './range.ts';
import type { ByteRange, LocalFile, PutOptions, PutSource, Storage } from './types.ts';

/** Temp files live inside the root so the final rename never crosses filesystems. */
export const LOCAL_TEMP_DIR = '.tmp';

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/**
 * Media on the local disk under `root` (`STORAGE_DIR`). A put streams into
 * `<root>/.tmp/<uuid>`, fsyncs, then renames onto the key's path: rename within one
 * filesystem is atomic, so a reader sees the old object, the new one, or none.
 */
export function createLocalStorage({ root }: { root: string }): Storage {
  const base = resolve(root);
  const tempDir = join(base, LOCAL_TEMP_DIR);

  const pathOf = (key: string): string => {
    assertValidKey(key);
    const path = join(base, ...key.split('/'));
    // assertValidKey already rules out escaping the root; this guards against a future bug.
    if (!path.startsWith(base + sep)) throw new Error(`storage key ${key} resolves outside the root`);
    return path;
  };

  const sizeOf = async (key: string): Promise<number> => {
    try {
      const info = await stat(pathOf(key));
      if (!info.isFile()) throw new StorageNotFoundError(key);
      return info.size;
    } catch (error) {
      if (isMissing(error)) throw new StorageNotFoundError(key, { cause: error });
      throw error;
    }
  };

  const writeTemp = async (source: PutSource, maxBytes: number | undefined): Promise<{ temp: string; size: number }> => {
    await mkdir(tempDir, { recursive: true });
    const temp = join(tempDir, `${randomUUID()}.part`);
    const handle = await open(temp, 'wx');
    try {
      const size = await copyIntoFile(source, handle, maxBytes);
      // Without fsync a crash right after the rename can leave a renamed, empty file.
      await handle.sync();
      return { temp, size };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    } finally {
      await handle.close();
    }
  };

  return {
    driver: 'local',

    async put(key: string, source: PutSource, options: PutOptions = {}) {
      const target = pathOf(key);
      const { temp, size } = await writeTemp(source, options.maxBytes);
      try {
        await mkdir(dirname(target), { recursive: true });
        try {
          await rename(temp, target);
        } catch (error) {
          // A concurrent delete may have removed the (then empty) directory in between.
          if (!isMissing(error)) throw error;
          await mkdir(dirname(target), { recursive: true });
          await rename(temp, target);
        }
        return { size };
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },

    async get(key: string, options: { range?: ByteRange } = {}) {
      const path = pathOf(key);
      const size = await sizeOf(key);
      if (!options.range) return createReadStream(path);
      const { start, end } = resolveRange(options.range, size);
      return createReadStream(path, { start, end });
    },

    async stat(key: string) {
      return { size: await sizeOf(key) };
    },

    async exists(key: string) {
      try {
        await sizeOf(key);
        return true;
      } catch (error) {
        if (error instanceof StorageNotFoundError) return false;
        throw error;
      }
    },

    async delete(key: string) {
      const path = pathOf(key);
      try {
        await unlink(path);
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      // Remove directories the delete left empty, so deleted assets leave no litter.
      for (let dir = dirname(path); dir.startsWith(base + sep); dir = dirname(dir)) {
        try {
          await rmdir(dir);
        } catch {
          break;
        }
      }
    },

    async localFile(key: string): Promise<LocalFile> {
      const path = pathOf(key);
      await sizeOf(key);
      return { path, release: async () => {} };
    },
  };
}
