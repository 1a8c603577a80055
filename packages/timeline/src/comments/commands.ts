// Applying comment commands (TL60): validate, check permissions against the actor, then
// write in one transaction tagged with the caller's origin.

import * as Y from 'yjs';
import { ConflictError, ForbiddenError, InvalidCommandError, LimitExceededError, SchemaVersionError, UnknownIdError } from '../errors.ts';
import type { IdGenerator } from '../ids.ts';
import { createId } from '../ids.ts';
import type { TimelineOrigin } from '../origin.ts';
import { isTimelineOrigin } from '../origin.ts';
import type { TimelineSnapshot } from '../snapshot.ts';
import { secondsToMicros } from '../time.ts';
import { clipSourceAt } from './anchor.ts';
import { COMMENTS_SCHEMA_VERSION, commentRoots, readReply, readThread } from './model.ts';
import type { CommentCommand, CommentCommandResult } from './schema.ts';
import { COMMENT_LIMITS, parseCommentCommand } from './schema.ts';

export interface CommentCommandOptions {
  /** The timeline as the commenter sees it; needed to anchor a thread to a clip. */
  timeline?: TimelineSnapshot;
  /** Project owners may delete anyone's comments (TL64). */
  canModerate?: boolean;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
  ids?: IdGenerator;
}

function actorOf(origin: TimelineOrigin): string {
  if (!isTimelineOrigin(origin)) throw new TypeError('comment commands need a TimelineOrigin (use originFor)');
  if (origin.source === 'migration') throw new ForbiddenError('comments need a user');
  return origin.userId;
}

function threadMap(threads: Y.Map<unknown>, threadId: string): Y.Map<unknown> {
  const m = threads.get(threadId);
  if (!(m instanceof Y.Map) || readThread(threadId, m) === null) throw new UnknownIdError('thread', threadId);
  return m;
}

function replyMap(thread: Y.Map<unknown>, replyId: string): Y.Map<unknown> {
  const replies = thread.get('replies');
  const m = replies instanceof Y.Map ? replies.get(replyId) : undefined;
  if (!(m instanceof Y.Map) || readReply(replyId, m) === null) throw new UnknownIdError('reply', replyId);
  return m;
}

/**
 * Apply one comment command. Permission rules (TL64): anyone who may comment may create,
 * reply, resolve and reopen; only the author edits a comment; the author or a moderator
 * deletes it.
 */
export function applyCommentCommand(doc: Y.Doc, command: unknown, origin: TimelineOrigin, options: CommentCommandOptions = {}): CommentCommandResult {
  const actor = actorOf(origin);
  const cmd = parseCommentCommand(command);
  const { meta, threads } = commentRoots(doc);
  const version = meta.get('schemaVersion');
  if (version !== undefined && version !== COMMENTS_SCHEMA_VERSION) {
    throw new SchemaVersionError(typeof version === 'number' ? version : undefined, `comments schema version ${String(version)} is not ${COMMENTS_SCHEMA_VERSION}`);
  }
  const now = (options.now ?? Date.now)();
  const ids = options.ids ?? createId;
  // Validate everything first and collect the writes; then one transaction.
  const { result, write } = plan(cmd, { actor, threads, now, ids, options });
  doc.transact(() => {
    // Every writer stamps the same version, so concurrent first writes agree (TL61).
    if (version === undefined) meta.set('schemaVersion', COMMENTS_SCHEMA_VERSION);
    write();
  }, origin);
  return result;
}

interface Ctx {
  actor: string;
  threads: Y.Map<unknown>;
  now: number;
  ids: IdGenerator;
  options: CommentCommandOptions;
}

function plan(cmd: CommentCommand, ctx: Ctx): { result: CommentCommandResult; write: () => void } {
  const { actor, threads, now } = ctx;
  switch (cmd.type) {
    case 'createThread': {
      if (threads.size >= COMMENT_LIMITS.threads) throw new LimitExceededError('comment threads', COMMENT_LIMITS.threads);
      const id = cmd.threadId ?? ctx.ids();
      if (threads.has(id)) throw new ConflictError(`thread ${JSON.stringify(id)} already exists`);
      const start = secondsToMicros(cmd.start);
      const end = secondsToMicros(cmd.end ?? cmd.start);
      if (end < start) throw new InvalidCommandError('end', 'must not be before start');
      const fields: Array<[string, unknown]> = [
        ['authorId', actor],
        ['body', cmd.body],
        ['createdAt', now],
        ['start', start],
        ['end', end],
        ['resolved', false],
        ['replies', new Y.Map()],
      ];
      if (cmd.clipId !== undefined) {
        const clip = ctx.options.timeline?.clips.find((c) => c.id === cmd.clipId);
        if (clip === undefined) throw new UnknownIdError('clip', cmd.clipId);
        fields.push(['clipId', clip.id], ['sourceStart', clipSourceAt(clip, start)], ['sourceEnd', clipSourceAt(clip, end)]);
      }
      return { result: { threadId: id }, write: () => threads.set(id, new Y.Map(fields)) };
    }
    case 'reply': {
      const thread = threadMap(threads, cmd.threadId);
      let replies = thread.get('replies');
      if (replies instanceof Y.Map && replies.size >= COMMENT_LIMITS.repliesPerThread) {
        throw new LimitExceededError('replies in this thread', COMMENT_LIMITS.repliesPerThread);
      }
      const id = ctx.ids();
      const reply = new Y.Map<unknown>([
        ['authorId', actor],
        ['body', cmd.body],
        ['createdAt', now],
      ]);
      return {
        result: { replyId: id },
        write: () => {
          if (!(replies instanceof Y.Map)) {
            replies = new Y.Map();
            thread.set('replies', replies);
          }
          (replies as Y.Map<unknown>).set(id, reply);
        },
      };
    }
    case 'editComment': {
      const thread = threadMap(threads, cmd.threadId);
      const target = cmd.replyId === undefined ? thread : replyMap(thread, cmd.replyId);
      if (target.get('authorId') !== actor) throw new ForbiddenError('only the author may edit a comment');
      return {
        result: {},
        write: () => {
          target.set('body', cmd.body);
          target.set('editedAt', now);
        },
      };
    }
    case 'resolveThread':
    case 'reopenThread': {
      const thread = threadMap(threads, cmd.threadId);
      const resolved = cmd.type === 'resolveThread';
      return {
        result: {},
        write: () => {
          thread.set('resolved', resolved);
          thread.set('resolvedBy', resolved ? actor : null);
          thread.set('resolvedAt', resolved ? now : null);
        },
      };
    }
    case 'deleteThread': {
      const thread = threadMap(threads, cmd.threadId);
      if (thread.get('authorId') !== actor && ctx.options.canModerate !== true) throw new ForbiddenError('only the author or a moderator may delete a thread');
      return { result: {}, write: () => threads.delete(cmd.threadId) };
    }
    case 'deleteReply': {
      const thread = threadMap(threads, cmd.threadId);
      const reply = replyMap(thread, cmd.replyId);
      if (reply.get('authorId') !== actor && ctx.options.canModerate !== true) throw new ForbiddenError('only the author or a moderator may delete a reply');
      return {
        result: {},
        write: () => {
          const replies = thread.get('replies');
          if (replies instanceof Y.Map) replies.delete(cmd.replyId);
        },
      };
    }
    default:
      return assertNever(cmd);
  }
}

function assertNever(value: never): never {
  throw new InvalidCommandError('type', `unknown comment command ${JSON.stringify(value)}`);
}
