import { describe, expect, it } from 'vitest';
import { presenceColor as colorFor, sanitizePresence } from './presence.ts';

const bob = { id: 'bob', name: 'Bob', color: colorFor('bob') };

describe('presence contract (apps/sync/SPEC.md)', () => {
  it('[SY50] identity always comes from the session', () => {
    const { state, dropped } = sanitizePresence({ user: { id: 'alice', name: 'Alice', color: '#fff' } }, bob);
    expect(state).toEqual({ user: bob });
    expect(dropped).toEqual(['user']);
    expect(sanitizePresence({ user: bob }, bob).dropped).toEqual([]);
    expect(sanitizePresence('not an object', bob).state).toEqual({ user: bob });
  });

  it('[SY51] keeps well-formed view fields', () => {
    const raw = {
      playhead: 1_000_000,
      selection: { clipIds: ['a', 'b'], markerIds: [] },
      viewport: { start: 0, end: 5_000_000, scrollY: 12 },
      cursor: { time: 2_000_000, trackId: 't1' },
      status: 'idle',
      following: 'ada0user0id',
    };
    expect(sanitizePresence(raw, bob)).toEqual({ state: { user: bob, ...raw }, dropped: [] });
    expect(sanitizePresence({ cursor: null }, bob).state).toEqual({ user: bob, cursor: null });
    expect(sanitizePresence({ following: null }, bob).state).toEqual({ user: bob, following: null });
  });

  it.each([
    ['a negative playhead', { playhead: -1 }],
    ['a playhead beyond 24 h', { playhead: 24 * 3600 * 1e6 + 1 }],
    ['a string playhead', { playhead: '5' }],
    ['NaN', { playhead: Number.NaN }],
    ['an id that is not an id', { selection: { clipIds: ['has space'] } }],
    ['too many ids', { selection: { clipIds: Array.from({ length: 201 }, (_, i) => `c${i}`) } }],
    ['an unknown selection kind', { selection: { everything: ['a'] } }],
    ['an inverted viewport', { viewport: { start: 10, end: 5 } }],
    ['extra viewport fields', { viewport: { start: 0, end: 5, zoom: 3 } }],
    ['a cursor with junk', { cursor: { time: 1, html: '<b>' } }],
    ['an unknown field', { avatarUrl: 'javascript:alert(1)' }],
    ['an unknown status', { status: 'busy' }],
    ['a status that is not a string', { status: { away: true } }],
    ['a followed id that is not an id', { following: '<script>' }],
    ['a followed id that is not a string', { following: 42 }],
  ])('[SY51] drops %s', (_label, raw) => {
    const { state, dropped } = sanitizePresence(raw, bob);
    expect(state).toEqual({ user: bob });
    expect(dropped).toHaveLength(1);
  });

  it('[SY50] colours are stable per user', () => {
    expect(colorFor('bob')).toBe(colorFor('bob'));
    expect(colorFor('bob')).toMatch(/^#[0-9a-f]{6}$/);
  });
});
