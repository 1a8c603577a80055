// Comment commands (TL60): types, validators and JSON Schemas from one definition, like
// the timeline's. Times are timeline seconds.

import { ID_PATTERN } from '../ids.ts';
import { LIMITS } from '../model.ts';
import { MAX_TIME_US, MICROS_PER_SECOND } from '../time.ts';
import type { JsonSchema, Validator } from '../validator.ts';
import { literal, number, object, string, tagged } from '../validator.ts';

export interface CreateThreadCommand {
  type: 'createThread';
  /** Optional client-chosen id (1–64 of A–Z a–z 0–9 _ -). */
  threadId?: string;
  body: string;
  start: number;
  end?: number;
  /** Anchor to a clip: the range then follows the clip when it moves or is trimmed. */
  clipId?: string;
}
export interface ReplyCommand {
  type: 'reply';
  threadId: string;
  body: string;
}
export interface EditCommentCommand {
  type: 'editComment';
  threadId: string;
  /** Omit to edit the thread's opening comment. */
  replyId?: string;
  body: string;
}
export interface ResolveThreadCommand {
  type: 'resolveThread';
  threadId: string;
}
export interface ReopenThreadCommand {
  type: 'reopenThread';
  threadId: string;
}
export interface DeleteThreadCommand {
  type: 'deleteThread';
  threadId: string;
}
export interface DeleteReplyCommand {
  type: 'deleteReply';
  threadId: string;
  replyId: string;
}

export type CommentCommand =
  | CreateThreadCommand
  | ReplyCommand
  | EditCommentCommand
  | ResolveThreadCommand
  | ReopenThreadCommand
  | DeleteThreadCommand
  | DeleteReplyCommand;

export type CommentCommandType = CommentCommand['type'];
type Empty = Record<string, never>;

export interface CommentCommandResults {
  createThread: { threadId: string };
  reply: { replyId: string };
  editComment: Empty;
  resolveThread: Empty;
  reopenThread: Empty;
  deleteThread: Empty;
  deleteReply: Empty;
}
export type CommentCommandResult<T extends CommentCommandType = CommentCommandType> = CommentCommandResults[T];

export const COMMENT_LIMITS = {
  threads: 5_000,
  repliesPerThread: 500,
  bodyLength: LIMITS.textLength,
} as const;

const MAX_SECONDS = MAX_TIME_US / MICROS_PER_SECOND;
const id = (what: string): Validator<string> => string({ maxLength: 64, pattern: ID_PATTERN, description: `Id of the ${what}` });
const body = string({
  minLength: 1,
  maxLength: COMMENT_LIMITS.bodyLength,
  description: 'Comment text; mention a user as @[userId]',
});
const seconds = (d: string): Validator<number> => number({ min: 0, max: MAX_SECONDS, description: `${d}, timeline seconds` });

type Validators = { [K in CommentCommandType]: Validator<Extract<CommentCommand, { type: K }>> };

export const COMMENT_COMMAND_VALIDATORS: Validators = {
  createThread: object(
    { type: literal('createThread'), body, start: seconds('Start of the commented range') },
    { threadId: id('new thread'), end: seconds('End of the commented range (default: start)'), clipId: id('clip to anchor to') },
    { description: 'Start a comment thread on a time range, optionally anchored to a clip. Returns {threadId}.' },
  ),
  reply: object({ type: literal('reply'), threadId: id('thread'), body }, {}, { description: 'Reply to a thread. Returns {replyId}.' }),
  editComment: object(
    { type: literal('editComment'), threadId: id('thread'), body },
    { replyId: id('reply') },
    { description: 'Edit your own comment (the thread opener, or a reply).' },
  ),
  resolveThread: object({ type: literal('resolveThread'), threadId: id('thread') }, {}, { description: 'Mark a thread resolved.' }),
  reopenThread: object({ type: literal('reopenThread'), threadId: id('thread') }, {}, { description: 'Reopen a resolved thread.' }),
  deleteThread: object({ type: literal('deleteThread'), threadId: id('thread') }, {}, { description: 'Delete a thread you started (moderators: any).' }),
  deleteReply: object(
    { type: literal('deleteReply'), threadId: id('thread'), replyId: id('reply') },
    {},
    { description: 'Delete a reply you wrote (moderators: any).' },
  ),
};

export const COMMENT_COMMAND_TYPES = Object.keys(COMMENT_COMMAND_VALIDATORS) as CommentCommandType[];

const validator: Validator<CommentCommand> = tagged<CommentCommand>('type', COMMENT_COMMAND_VALIDATORS, 'One comment command');

export function parseCommentCommand(value: unknown): CommentCommand {
  return validator.parse(value, '');
}

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export const COMMENT_COMMAND_SCHEMAS: { readonly [K in CommentCommandType]: JsonSchema } = (() => {
  const out: Partial<Record<CommentCommandType, JsonSchema>> = {};
  for (const type of COMMENT_COMMAND_TYPES) out[type] = { $schema: DIALECT, title: type, ...COMMENT_COMMAND_VALIDATORS[type].schema };
  return out as { [K in CommentCommandType]: JsonSchema };
})();

export const COMMENT_COMMAND_SCHEMA: JsonSchema = { $schema: DIALECT, title: 'CommentCommand', ...validator.schema };
