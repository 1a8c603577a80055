// Which comments this person has seen, per thread. Kept in the browser's localStorage,
// keyed by user and project: it is per person, not shared state, so it stays out of the
// comments document. It does not follow the person to another browser (yet); a server
// table would, once there is a reason to pay for one.
//
// A thread's entry lists the ids of the items seen in it (the opening comment counts as
// the thread's own id). Ids, not a "last seen" time, because `createdAt` comes from each
// writer's clock and clocks disagree.

import type { CommentThread } from '@cutline/timeline/comments';

export type ReadState = Readonly<Record<string, readonly string[]>>;

/** Something with the part of the Storage interface used here (tests pass a Map-backed one). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

export const readStateKey = ({ userId, projectId }: { userId: string; projectId: string }) => `cutline:comments-read:v1:${userId}:${projectId}`;

/** Items of a thread (opening comment and replies) written by someone else and not yet seen. */
export function unreadItems(thread: CommentThread, me: string, seen: readonly string[] | undefined): string[] {
  const known = new Set(seen ?? []);
  const out: string[] = [];
  if (thread.authorId !== me && !known.has(thread.id)) out.push(thread.id);
  for (const r of thread.replies) if (r.authorId !== me && !known.has(r.id)) out.push(r.id);
  return out;
}

/** The state after seeing every item of `thread` now. */
export function markThreadSeen(state: ReadState, thread: CommentThread): ReadState {
  return { ...state, [thread.id]: [thread.id, ...thread.replies.map((r) => r.id)] };
}

/** Drops entries of threads that no longer exist. */
export function pruneReadState(state: ReadState, threadIds: Iterable<string>): ReadState {
  const exists = new Set(threadIds);
  const out: Record<string, readonly string[]> = {};
  for (const [id, seen] of Object.entries(state)) if (exists.has(id)) out[id] = seen;
  return out;
}

export function parseReadState(raw: string | null): ReadState {
  if (raw === null) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const out: Record<string, readonly string[]> = {};
    for (const [id, seen] of Object.entries(value)) {
      if (Array.isArray(seen)) out[id] = seen.filter((s): s is string => typeof s === 'string');
    }
    return out;
  } catch {
    return {};
  }
}

export function loadReadState(store: KeyValueStore | null, key: string): ReadState {
  try {
    return parseReadState(store?.getItem(key) ?? null);
  } catch {
    // Storage can be blocked (privacy settings): everything is simply unread then.
    return {};
  }
}

export function saveReadState(store: KeyValueStore | null, key: string, state: ReadState): void {
  try {
    store?.setItem(key, JSON.stringify(state));
  } catch {
    // Full or blocked storage: read marks last for this page only.
  }
}
