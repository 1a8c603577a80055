// A plain, frozen view of the comments document with anchors resolved against a
// timeline snapshot (TL62) and mentions parsed (TL63).

import * as Y from 'yjs';
import { deepFreeze } from '../snapshot.ts';
import type { SnapshotClip, TimelineSnapshot } from '../snapshot.ts';
import type { ResolvedAnchor } from './anchor.ts';
import { resolveAnchor } from './anchor.ts';
import { COMMENTS_SCHEMA_VERSION, commentRoots, parseMentions, readThread } from './model.ts';
import type { ThreadRec } from './model.ts';

export interface CommentReply {
  readonly id: string;
  readonly authorId: string;
  readonly body: string;
  readonly mentions: readonly string[];
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly editedAt: number | null;
}

export interface CommentThread extends CommentReply {
  readonly resolved: boolean;
  readonly resolvedBy: string | null;
  readonly resolvedAt: number | null;
  readonly anchor: ResolvedAnchor;
  readonly replies: readonly CommentReply[];
}

export interface CommentsSnapshot {
  readonly version: typeof COMMENTS_SCHEMA_VERSION;
  /** By anchor start, then creation time, then id. */
  readonly threads: readonly CommentThread[];
}

function toJson(t: ThreadRec, timeline: TimelineSnapshot | undefined, clips: ReadonlyMap<string, SnapshotClip> | undefined): CommentThread {
  return {
    id: t.id,
    authorId: t.authorId,
    body: t.body,
    mentions: parseMentions(t.body),
    createdAt: t.createdAt,
    editedAt: t.editedAt,
    resolved: t.resolved,
    resolvedBy: t.resolvedBy,
    resolvedAt: t.resolvedAt,
    anchor: resolveAnchor(t.anchor, timeline, clips),
    replies: t.replies.map((r) => ({ ...r, mentions: parseMentions(r.body) })),
  };
}

export function commentsSnapshot(doc: Y.Doc, timeline?: TimelineSnapshot): CommentsSnapshot {
  const { threads } = commentRoots(doc);
  const clips = timeline === undefined ? undefined : new Map(timeline.clips.map((c) => [c.id, c]));
  const out: CommentThread[] = [];
  threads.forEach((value, id) => {
    const t = value instanceof Y.Map ? readThread(id, value) : null;
    if (t !== null) out.push(toJson(t, timeline, clips));
  });
  out.sort((a, b) => a.anchor.start - b.anchor.start || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return deepFreeze({ version: COMMENTS_SCHEMA_VERSION, threads: out });
}
