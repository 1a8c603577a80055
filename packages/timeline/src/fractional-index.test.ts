import { describe, expect, it } from 'vitest';
import { create, int32 } from 'lib0/prng';
import { initialKeys, isOrderKey, keyBetween, keysForInsert } from './fractional-index.ts';

describe('fractional index', () => {
  it('[TL3] keyBetween returns a key strictly between its bounds', () => {
    expect(keyBetween(null, null) > '').toBe(true);
    const a = keyBetween(null, null);
    const b = keyBetween(a, null);
    const c = keyBetween(a, b);
    expect(a < c && c < b).toBe(true);
    expect(keyBetween(null, a) < a).toBe(true);
    expect(() => keyBetween(b, a)).toThrow(RangeError);
    expect(() => keyBetween(a, a)).toThrow(RangeError);
  });

  it('[TL3] random inserts keep a strictly increasing list of valid keys', () => {
    const gen = create(7);
    const keys: string[] = [];
    for (let i = 0; i < 500; i++) {
      const at = int32(gen, 0, keys.length);
      const { key, rekeys } = keysForInsert(keys, at);
      expect(rekeys.size).toBe(0);
      keys.splice(at, 0, key);
    }
    for (let i = 1; i < keys.length; i++) expect((keys[i - 1] ?? '') < (keys[i] ?? '')).toBe(true);
    expect(keys.every(isOrderKey)).toBe(true);
    // Appending and prepending keep keys short.
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThan(40);
  });

  it('[TL3] inserting between equal keys re-keys the rest of the tie', () => {
    const keys = ['V', 'V', 'V', 'k'];
    const { key, rekeys } = keysForInsert(keys, 1);
    const next = [...keys];
    for (const [i, k] of rekeys) next[i] = k;
    next.splice(1, 0, key);
    expect(next[0]).toBe('V');
    for (let i = 1; i < next.length; i++) expect((next[i - 1] ?? '') < (next[i] ?? '')).toBe(true);
    expect([...rekeys.keys()]).toEqual([1, 2]);
  });

  it('[TL3] initial keys increase and are valid', () => {
    const keys = initialKeys(200);
    expect(new Set(keys).size).toBe(200);
    expect([...keys].sort()).toEqual(keys);
    expect(keys.every(isOrderKey)).toBe(true);
    expect(isOrderKey('a0')).toBe(false);
    expect(isOrderKey('')).toBe(false);
    expect(isOrderKey('a b')).toBe(false);
  });
});
