// The comments document (TL61): a separate Y.Doc, `project/<id>/comments`. Root map
// `threads` holds one Y.Map per thread, one key per field; a thread's replies are a
// nested Y.Map `replies` of Y.Maps. Reads are defensive like the timeline's (TL8).

import * as Y from 'yjs';
import { MAX_TIME_US } from '../time.ts';
import type { StoredAnchor } from './anchor.ts';
import { COMMENT_LIMITS } from './schema.ts';

export const COMMENTS_SCHEMA_VERSION = 1;

export interface ReplyRec {
  readonly id: string;
  readonly authorId: string;
  readonly body: string;
  readonly createdAt: number;
  readonly editedAt: number | null;
}

export interface ThreadRec {
  readonly id: string;
  readonly authorId: string;
  readonly body: string;
  readonly createdAt: number;
  readonly editedAt: number | null;
  readonly resolved: boolean;
  readonly resolvedBy: string | null;
  readonly resolvedAt: number | null;
  readonly anchor: StoredAnchor;
  readonly replies: readonly ReplyRec[];
}

export function commentRoots(doc: Y.Doc): { meta: Y.Map<unknown>; threads: Y.Map<unknown> } {
  return { meta: doc.getMap('meta'), threads: doc.getMap('threads') };
}

/** A fresh comments document with its schema version written. */
export function createCommentsDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap('meta').set('schemaVersion', COMMENTS_SCHEMA_VERSION);
  return doc;
}

const MAX_BODY = COMMENT_LIMITS.bodyLength;

function time(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_TIME_US ? v : null;
}

function stamp(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function text(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  return v.length > MAX_BODY * 2 ? v.slice(0, MAX_BODY * 2) : v;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function readReply(id: string, m: Y.Map<unknown>): ReplyRec | null {
  const authorId = str(m.get('authorId'));
  const body = text(m.get('body'));
  const createdAt = stamp(m.get('createdAt'));
  if (authorId === null || body === null || createdAt === null) return null;
  return { id, authorId, body, createdAt, editedAt: stamp(m.get('editedAt')) };
}

export function readThread(id: string, m: Y.Map<unknown>): ThreadRec | null {
  const authorId = str(m.get('authorId'));
  const body = text(m.get('body'));
  const createdAt = stamp(m.get('createdAt'));
  const start = time(m.get('start'));
  const end = time(m.get('end'));
  if (authorId === null || body === null || createdAt === null || start === null || end === null) return null;
  const clipId = str(m.get('clipId'));
  const replies: ReplyRec[] = [];
  const rm = m.get('replies');
  if (rm instanceof Y.Map) {
    rm.forEach((value, key) => {
      const r = value instanceof Y.Map ? readReply(key, value) : null;
      if (r !== null) replies.push(r);
    });
  }
  replies.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const sourceStart = m.get('sourceStart');
  const sourceEnd = m.get('sourceEnd');
  const resolved = m.get('resolved') === true;
  return {
    id,
    authorId,
    body,
    createdAt,
    editedAt: stamp(m.get('editedAt')),
    resolved,
    resolvedBy: resolved ? str(m.get('resolvedBy')) : null,
    resolvedAt: resolved ? stamp(m.get('resolvedAt')) : null,
    anchor: {
      start,
      end: Math.max(start, end),
      clipId,
      sourceStart: clipId !== null && typeof sourceStart === 'number' && Number.isFinite(sourceStart) ? sourceStart : null,
      sourceEnd: clipId !== null && typeof sourceEnd === 'number' && Number.isFinite(sourceEnd) ? sourceEnd : null,
    },
    replies,
  };
}

const MENTION = /@\[([^\]\s]{1,128})\]/g;

/** User ids mentioned as `@[userId]`, unique, in order of first mention (TL63). */
export function parseMentions(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(MENTION)) {
    const id = m[1];
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out;
}
