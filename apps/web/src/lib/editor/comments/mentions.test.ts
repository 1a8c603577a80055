import { describe, expect, it } from 'vitest';
import { parseMentions } from '@cutline/timeline/comments';
import { bodySegments, matchMembers, mentionQuery, plainText, toEditable, toStored } from './mentions.ts';

const people = [
  { id: 'u1', name: 'Ada', email: 'ada@example.com' },
  { id: 'u2', name: 'Ada Lovelace', email: 'lovelace@example.com' },
  { id: 'u3', name: 'Bob', email: 'bob@example.com' },
];
const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? null;

describe('mentions', () => {
  it('[TL63] stores picked @Names as user ids the model parses, longest name first', () => {
    const stored = toStored('Hi @Ada Lovelace and @Bob, not @Bobby or @Carol', people);
    expect(stored).toBe('Hi @[u2] and @[u3], not @Bobby or @Carol');
    expect(parseMentions(stored)).toEqual(['u2', 'u3']);
    // Only members that were picked are turned into ids.
    expect(toStored('@Bob', [])).toBe('@Bob');
  });

  it('shows stored mentions by name, and unknown members as such', () => {
    expect(bodySegments('see @[u3] and @[gone]!', nameOf)).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'mention', userId: 'u3', name: 'Bob' },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', userId: 'gone', name: null },
      { kind: 'text', text: '!' },
    ]);
    expect(plainText('see @[u3] and @[gone]!', nameOf)).toBe('see @Bob and @unknown member!');
  });

  it('round-trips through editing without losing a mention', () => {
    const { text, mentions } = toEditable('@[u3] look, @[gone] too', nameOf);
    expect(text).toBe('@Bob look, @[gone] too');
    expect(toStored(text, mentions)).toBe('@[u3] look, @[gone] too');
  });

  it('finds the @query before the caret and matches members by name word or email', () => {
    expect(mentionQuery('hello @lo', 9)).toEqual({ start: 6, query: 'lo' });
    expect(mentionQuery('hello @', 7)).toEqual({ start: 6, query: '' });
    expect(mentionQuery('mail a@b', 8)).toBeNull();
    expect(mentionQuery('@Bob done', 9)).toBeNull();
    expect(matchMembers(people, 'lo').map((p) => p.id)).toEqual(['u2']);
    expect(matchMembers(people, 'BO').map((p) => p.id)).toEqual(['u3']);
    expect(matchMembers(people, '')).toHaveLength(3);
  });
});
