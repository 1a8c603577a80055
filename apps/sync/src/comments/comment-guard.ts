import * as Y from 'yjs';
import { COMMENTS_SCHEMA_VERSION } from '@cutline/timeline/comments';

/**
 * Who may change what in a comments document (SPEC.md SY6), checked on the update a
 * client sends before it is stored, applied or relayed. The timeline model's comment
 * commands keep the same rules (packages/timeline TL64), but a client can write the
 * Y.Doc directly, so the server holds the line:
 * - a new thread or reply carries the writer's own user id as `authorId`;
 * - only the author changes a comment's body, anchor or any other field of it, and
 *   nobody changes `authorId` or `createdAt`;
 * - anyone who may comment resolves or reopens a thread, as themselves (`resolvedBy`);
 * - the author, or a moderator (the project owner), deletes a thread or a reply;
 * - nothing is written outside the `threads` and `meta` roots, and `meta` only ever gets
 *   the schema version;
 * - an update whose parts depend on changes the server does not have is refused: it
 *   would integrate later, inside somebody else's update, unchecked.
 * The update is applied to a copy of the document and the two states are compared, so
 * the check sees exactly what the update would do, whatever Yjs encoding it uses.
 */
export type CommentWriter = { userId: string; canModerate: boolean };

type Json = Record<string, unknown>;
/** A root or nested Yjs type, as a document's `share` holds them. */
type SharedType = Y.Doc['share'] extends Map<string, infer T> ? T : never;

const RESOLUTION_KEYS = new Set(['resolved', 'resolvedBy', 'resolvedAt']);
const IMMUTABLE_KEYS = new Set(['authorId', 'createdAt']);

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const recordsOf = (value: unknown): Json => (isRecord(value) ? value : {});

/**
 * A copy of a live comments document, kept current by its `update` events, that a
 * client's update is tried on first. Cloning per check would cost O(document) on every
 * keystroke; with the copy a check costs what the update touches. A refused update has
 * changed the copy, so the copy is dropped and made again on the next check.
 */
type Shadow = {
  doc: Y.Doc;
  /** Types the update being checked changed (collected only during a check). */
  collect: Array<[SharedType, Set<string | null>]> | null;
  detach: () => void;
};

const shadows = new WeakMap<Y.Doc, Shadow>();

function shadowOf(doc: Y.Doc): Shadow {
  const existing = shadows.get(doc);
  if (existing) return existing;
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const follow = (update: Uint8Array) => Y.applyUpdate(copy, update);
  doc.on('update', follow);
  const shadow: Shadow = { doc: copy, collect: null, detach: () => doc.off('update', follow) };
  copy.on('afterTransaction', (transaction: Y.Transaction) => {
    if (shadow.collect) for (const [type, keys] of transaction.changed) shadow.collect.push([type, keys]);
  });
  shadows.set(doc, shadow);
  return shadow;
}

function dropShadow(doc: Y.Doc, shadow: Shadow): void {
  shadow.detach();
  shadow.doc.destroy();
  if (shadows.get(doc) === shadow) shadows.delete(doc);
}

const hasPending = (doc: Y.Doc) => doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
const jsonOf = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.toJSON() : value);

/** Why `update` may not be applied to `doc` by `writer`, or null when it may. */
export function commentUpdateViolation(doc: Y.Doc, update: Uint8Array, writer: CommentWriter): string | null {
  const shadow = shadowOf(doc);
  const hadPending = hasPending(shadow.doc);
  const changed: Array<[SharedType, Set<string | null>]> = [];
  shadow.collect = changed;
  try {
    Y.applyUpdate(shadow.doc, update);
  } finally {
    shadow.collect = null;
  }
  const violation = judge(doc, shadow.doc, changed, writer) ?? (!hadPending && hasPending(shadow.doc) ? 'depends on changes the server does not have' : null);
  if (violation !== null) dropShadow(doc, shadow);
  return violation;
}

/** Compares, for what the update touched only, the document before (`doc`) and after (`after`). */
function judge(doc: Y.Doc, after: Y.Doc, changed: ReadonlyArray<[SharedType, Set<string | null>]>, writer: CommentWriter): string | null {
  const roots = new Map<SharedType, string>();
  for (const [name, type] of after.share) roots.set(type, name);
  const touched = new Set<string>();
  let meta = false;
  for (const [type, keys] of changed) {
    // Climb to the root; `child` is the item right under it (a thread, for `threads`).
    let root: SharedType = type;
    let child: Y.Item | null = null;
    while (root._item !== null) {
      child = root._item;
      root = child.parent as SharedType;
    }
    const name = roots.get(root) ?? '?';
    if (name === 'meta') meta = true;
    else if (name !== 'threads') return `writes outside the comments (${JSON.stringify(name)})`;
    else if (child === null) for (const key of keys) touched.add(key ?? '');
    else touched.add(child.parentSub ?? '');
  }
  if (meta) {
    const problem = metaViolation(doc.getMap('meta').toJSON(), after.getMap('meta').toJSON());
    if (problem !== null) return problem;
  }
  const before: Json = {};
  const next: Json = {};
  const [oldThreads, newThreads] = [doc.getMap('threads'), after.getMap('threads')];
  for (const id of touched) {
    if (oldThreads.has(id)) before[id] = jsonOf(oldThreads.get(id));
    if (newThreads.has(id)) next[id] = jsonOf(newThreads.get(id));
  }
  return threadsViolation(before, next, writer);
}

function metaViolation(before: Json, after: Json): string | null {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (same(before[key], after[key])) continue;
    if (key !== 'schemaVersion' || before[key] !== undefined || after[key] !== COMMENTS_SCHEMA_VERSION) return `changes meta.${key}`;
  }
  return null;
}

function threadsViolation(before: Json, after: Json, writer: CommentWriter): string | null {
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[id];
    const next = after[id];
    if (same(old, next)) continue;
    const problem =
      old === undefined ? createdThread(next, writer) : next === undefined ? removed(old, 'thread', writer) : changedThread(recordsOf(old), recordsOf(next), writer);
    if (problem !== null) return `${problem} (thread ${id})`;
  }
  return null;
}

function createdThread(next: unknown, writer: CommentWriter): string | null {
  const thread = recordsOf(next);
  if (thread.authorId !== writer.userId) return 'a new thread must carry its writer as author';
  if (thread.resolved === true && thread.resolvedBy !== writer.userId) return 'resolved by someone else';
  for (const reply of Object.values(recordsOf(thread.replies))) {
    if (recordsOf(reply).authorId !== writer.userId) return 'a new thread cannot hold replies by others';
  }
  return null;
}

function removed(old: unknown, what: string, writer: CommentWriter): string | null {
  return recordsOf(old).authorId === writer.userId || writer.canModerate ? null : `only its author or the owner deletes a ${what}`;
}

function changedThread(old: Json, next: Json, writer: CommentWriter): string | null {
  const own = old.authorId === writer.userId;
  let resolution = false;
  for (const key of new Set([...Object.keys(old), ...Object.keys(next)])) {
    if (key === 'replies' || same(old[key], next[key])) continue;
    if (RESOLUTION_KEYS.has(key)) {
      resolution = true;
      continue;
    }
    if (IMMUTABLE_KEYS.has(key)) return `${key} cannot change`;
    if (!own) return `only the author changes ${key}`;
  }
  if (resolution && next.resolved === true && next.resolvedBy !== writer.userId) return 'resolves as someone else';
  return repliesViolation(recordsOf(old.replies), recordsOf(next.replies), writer);
}

function repliesViolation(before: Json, after: Json, writer: CommentWriter): string | null {
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[id];
    const next = after[id];
    if (same(old, next)) continue;
    if (old === undefined) {
      if (recordsOf(next).authorId !== writer.userId) return `a new reply must carry its writer as author (reply ${id})`;
      continue;
    }
    if (next === undefined) {
      const problem = removed(old, 'reply', writer);
      if (problem !== null) return `${problem} (reply ${id})`;
      continue;
    }
    const o = recordsOf(old);
    const n = recordsOf(next);
    for (const key of new Set([...Object.keys(o), ...Object.keys(n)])) {
      if (same(o[key], n[key])) continue;
      if (IMMUTABLE_KEYS.has(key)) return `${key} cannot change (reply ${id})`;
      if (o.authorId !== writer.userId) return `only the author changes ${key} (reply ${id})`;
    }
  }
  return null;
}
