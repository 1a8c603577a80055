import { StorageKeyError } from './errors.ts';

const MAX_KEY_LENGTH = 512;
// A segment may not start with a dot: that keeps `..` and hidden names out, and leaves
// names like the local driver's `.tmp/` directory unreachable through any key.
const SEGMENT = /^[a-z0-9_-][a-z0-9_.-]*$/;

/**
 * Throws unless `key` is one of our generated keys. Keys are never built from user file
 * names (docs/ARCHITECTURE.md, "How an upload travels"), so anything outside the alphabet is a bug or an attack.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new StorageKeyError(String(key), 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new StorageKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
  if (key.includes('..')) throw new StorageKeyError(key, 'contains ".."');
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment)) {
      throw new StorageKeyError(key, 'segments must be non-empty, use only a-z 0-9 _ . - and not start with "."');
    }
  }
}

/** Derived files of one asset sit beside its original: `assets/<assetId>/<name>`. */
export function assetKey(assetId: string, name: string): string {
  const key = `assets/${assetId}/${name}`;
  assertValidKey(key);
  return key;
}
