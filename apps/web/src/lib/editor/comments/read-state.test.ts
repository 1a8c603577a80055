import { describe, expect, it } from 'vitest';
import type { CommentThread } from '@cutline/timeline/comments';
import { loadReadState, markThreadSeen, parseReadState, pruneReadState, saveReadState, unreadItems } from './read-state.ts';

const reply = (id: string, authorId: string) => ({ id, authorId, body: 'x', mentions: [], createdAt: 1, editedAt: null });
const thread = (authorId: string, replies: ReturnType<typeof reply>[]): CommentThread => ({
  ...reply('t1', authorId),
  resolved: false,
  resolvedBy: null,
  resolvedAt: null,
  anchor: { start: 0, end: 0, clipId: null, state: 'time' },
  replies,
});

describe('read state', () => {
  it("counts others' items I have not seen, never my own", () => {
    const t = thread('bob', [reply('r1', 'me'), reply('r2', 'bob')]);
    expect(unreadItems(t, 'me', undefined)).toEqual(['t1', 'r2']);
    const seen = markThreadSeen({}, t);
    expect(unreadItems(t, 'me', seen.t1)).toEqual([]);
    const later = thread('bob', [reply('r1', 'me'), reply('r2', 'bob'), reply('r3', 'ada')]);
    expect(unreadItems(later, 'me', seen.t1)).toEqual(['r3']);
    expect(unreadItems(thread('me', []), 'me', undefined)).toEqual([]);
  });

  it('survives storage: bad JSON, blocked storage, pruning', () => {
    expect(parseReadState('{oops')).toEqual({});
    expect(parseReadState('{"a":["x",3],"b":"no"}')).toEqual({ a: ['x'] });
    const data = new Map<string, string>();
    const store = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    saveReadState(store, 'k', { a: ['a'], b: ['b'] });
    expect(pruneReadState(loadReadState(store, 'k'), ['b'])).toEqual({ b: ['b'] });
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadReadState(blocked, 'k')).toEqual({});
    expect(() => saveReadState(blocked, 'k', {})).not.toThrow();
  });
});
