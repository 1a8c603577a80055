import { describe, expect, it } from 'vitest';
import { jsonNestedDeeperThan } from './body.ts';

describe('jsonNestedDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonNestedDeeperThan('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonNestedDeeperThan('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonNestedDeeperThan(JSON.stringify({ s: '[[[[[[{{{{', t: 'a\\"[[[[' }), 2)).toBe(false);
    expect(jsonNestedDeeperThan(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, 64)).toBe(true);
  });
});
