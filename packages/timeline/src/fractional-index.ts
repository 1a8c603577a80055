// Order keys for tracks (TL3). A key is a base-62 fraction written without the leading
// "0.": keys compare as plain strings (code unit order) and never end in the smallest
// digit, so there is always room below and between two keys. Equal keys (two peers
// inserting at the same place at the same time) are ordered by id; inserting between
// equal keys re-keys the run (see `keysForInsert`).

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_REGEX = /^[0-9A-Za-z]*[1-9A-Za-z]$/;

export function isOrderKey(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 200 && KEY_REGEX.test(value);
}

function digit(key: string, i: number): number {
  const c = key[i];
  return c === undefined ? 0 : DIGITS.indexOf(c);
}

function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = digit(a, 0);
  const db = b === null ? DIGITS.length : digit(b, 0);
  if (db - da > 1) return DIGITS[Math.round((da + db) / 2)] ?? '';
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return (DIGITS[da] ?? '') + midpoint(a.slice(1), null);
}

/** A key strictly between `a` and `b` (null = open end). Requires a < b. */
export function keyBetween(a: string | null, b: string | null): string {
  if (a !== null && b !== null && a >= b) throw new RangeError(`keyBetween: ${a} >= ${b}`);
  return midpoint(a ?? '', b);
}

/**
 * Keys for inserting one item at `index` into a list whose keys are `keys` (sorted, ties
 * allowed). Returns the new key and re-keys for existing items (by index) when the new
 * item has to go between two equal keys.
 */
export function keysForInsert(keys: readonly string[], index: number): { key: string; rekeys: Map<number, string> } {
  const rekeys = new Map<number, string>();
  const lower = index > 0 ? (keys[index - 1] ?? null) : null;
  const upper = keys[index] ?? null;
  if (lower === null || upper === null || lower < upper) {
    return { key: keyBetween(lower, upper), rekeys };
  }
  // lower === upper: find the end of the run of equal keys and spread the new item and
  // the rest of the run between `lower` and the next distinct key.
  let end = index;
  while (end < keys.length && keys[end] === lower) end++;
  const hi = keys[end] ?? null;
  const key = keyBetween(lower, hi);
  let prev = key;
  for (let i = index; i < end; i++) {
    prev = keyBetween(prev, hi);
    rekeys.set(i, prev);
  }
  return { key, rekeys };
}

/** n increasing keys starting after null, deterministic (used by migrations and loads). */
export function initialKeys(n: number): string[] {
  const keys: string[] = [];
  let prev: string | null = null;
  for (let i = 0; i < n; i++) {
    prev = keyBetween(prev, null);
    keys.push(prev);
  }
  return keys;
}
