import { describe, expect, it } from 'vitest';
import { createId, isId, sequentialIds } from './ids.ts';
import { MIGRATION_ORIGIN, isTimelineOrigin, originFor } from './origin.ts';

describe('origins and ids', () => {
  it('[TL6] originFor returns one frozen object per (source, userId)', () => {
    const a = originFor('user', 'u1');
    expect(originFor('user', 'u1')).toBe(a);
    expect(originFor('api', 'u1')).not.toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(isTimelineOrigin(a)).toBe(true);
    expect(isTimelineOrigin(MIGRATION_ORIGIN)).toBe(true);
    expect(isTimelineOrigin({ source: 'migration' })).toBe(true);
    expect(isTimelineOrigin({ source: 'robot', userId: 'x' })).toBe(false);
    expect(isTimelineOrigin(null)).toBe(false);
    expect(() => originFor('user', '')).toThrow(TypeError);
  });

  it('[TL5] generated ids are URL-safe, 21 characters and distinct', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => createId()));
    expect(ids.size).toBe(5000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{21}$/);
      expect(isId(id)).toBe(true);
    }
    expect(isId('a'.repeat(65))).toBe(false);
    const seq = sequentialIds('p');
    expect([seq(), seq()]).toEqual(['p1', 'p2']);
  });
});
