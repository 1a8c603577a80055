import { describe, expect, it } from 'vitest';
import type { RemotePresence } from '../session/presence.ts';
import { presenceColor } from '@cutline/shared/presence';
import { groupPeople, initials, localStatus, representative } from './people.ts';

const ada = { id: 'u_ada', name: 'Ada', color: '#e6194b' };
const bob = { id: 'u_bob', name: 'Bob', color: '#3cb44b' };
const me = { id: 'u_me', name: 'Me', color: '#4363d8' };

function client(clientId: number, user: RemotePresence['user'], extra: Partial<RemotePresence> = {}): RemotePresence {
  return { clientId, user, playhead: null, selection: {}, viewport: null, cursor: null, status: 'active', following: null, ...extra };
}

describe('people', () => {
  it('shows a person in two tabs once, by the tab they work in', () => {
    const updated = new Map([
      [1, 100],
      [2, 200],
    ]);
    const people = groupPeople({
      remote: [client(1, ada, { playhead: 1 }), client(2, ada, { playhead: 2 }), client(3, bob)],
      me: { user: me, status: 'active', clientId: 9 },
      lastUpdated: (id) => updated.get(id) ?? 0,
    });
    expect(people.map((p) => [p.user.name, p.me, p.clientIds])).toEqual([
      ['Me', true, [9]],
      ['Ada', false, [1, 2]],
      ['Bob', false, [3]],
    ]);
    expect(people[1]?.playhead).toBe(2);
  });

  it('prefers an active tab over a more recent idle or away one', () => {
    const rep = representative([client(1, ada, { status: 'away' }), client(2, ada, { status: 'active' }), client(3, ada, { status: 'idle' })], (id) => id * 100);
    expect(rep?.clientId).toBe(2);
  });

  it('folds my other tabs into me, with this tab’s status', () => {
    const people = groupPeople({ remote: [client(4, me, { status: 'active' })], me: { user: me, status: 'away', clientId: 9 }, lastUpdated: () => 0 });
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ me: true, status: 'away', clientIds: [9, 4] });
  });

  it('never paints two people present at once in the same colour, and paints each the same for everyone', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `user-${i}`);
    const users = ids.map((id) => ({ id, name: id, color: presenceColor(id) }));
    // With 12 people and 12 colours, hashing alone collides; the shown colours do not.
    expect(new Set(users.map((u) => u.color)).size).toBeLessThan(12);
    const seenBy = (self: number) =>
      groupPeople({ remote: users.filter((_, i) => i !== self).map((u, i) => client(i + 1, u)), me: { user: users[self] as (typeof users)[number], status: 'active', clientId: 99 }, lastUpdated: () => 0 });
    const first = seenBy(0);
    expect(new Set(first.map((p) => p.user.color)).size).toBe(12);
    const colorsOf = (people: ReturnType<typeof groupPeople>) => Object.fromEntries(people.map((p) => [p.user.id, p.user.color]));
    expect(colorsOf(seenBy(5))).toEqual(colorsOf(first));
  });

  it('is away while hidden and idle after a minute without input', () => {
    expect(localStatus({ hidden: true, lastInputAt: 0, now: 1, idleAfterMs: 60_000 })).toBe('away');
    expect(localStatus({ hidden: false, lastInputAt: 0, now: 59_999, idleAfterMs: 60_000 })).toBe('active');
    expect(localStatus({ hidden: false, lastInputAt: 0, now: 60_000, idleAfterMs: 60_000 })).toBe('idle');
  });

  it('makes initials', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('bob')).toBe('B');
    expect(initials('  ')).toBe('?');
    expect(initials('Ada Byron King Lovelace')).toBe('AL');
  });
});
