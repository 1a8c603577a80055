import { getRandomValues } from 'lib0/webcrypto';

/** Returns a fresh id on every call. Injectable so tests are deterministic. */
export type IdGenerator = () => string;

/** Ids are URL-safe: letters, digits, `_` and `-`, 1–64 characters (TL5). */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
const ID_REGEX = new RegExp(ID_PATTERN);

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_REGEX.test(value);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

const ID_LENGTH = 21;
const pool = new Uint8Array(ID_LENGTH * 64);
let poolOffset = pool.length;

/**
 * 21 characters from a 64-letter alphabet = 126 random bits, like nanoid. Random bytes
 * come from `crypto.getRandomValues` (browsers and Node 24 both have it, via
 * `lib0/webcrypto`), fetched in pools because the call itself is the slow part.
 */
export const createId: IdGenerator = () => {
  if (poolOffset + ID_LENGTH > pool.length) {
    getRandomValues(pool);
    poolOffset = 0;
  }
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += ALPHABET[(pool[poolOffset + i] ?? 0) & 63];
  poolOffset += ID_LENGTH;
  return id;
};

/** Deterministic ids (`p1`, `p2`, …) for tests and reproducible fixtures. */
export function sequentialIds(prefix: string): IdGenerator {
  let n = 0;
  return () => `${prefix}${++n}`;
}
