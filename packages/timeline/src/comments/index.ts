// Public API of @cutline/timeline/comments: the comments document model (TL60–TL64).

export type {
  CommentCommand,
  CommentCommandResult,
  CommentCommandResults,
  CommentCommandType,
  CreateThreadCommand,
  DeleteReplyCommand,
  DeleteThreadCommand,
  EditCommentCommand,
  ReopenThreadCommand,
  ReplyCommand,
  ResolveThreadCommand,
} from './schema.ts';
export { COMMENT_COMMAND_SCHEMA, COMMENT_COMMAND_SCHEMAS, COMMENT_COMMAND_TYPES, COMMENT_LIMITS, parseCommentCommand } from './schema.ts';
export type { CommentCommandOptions } from './commands.ts';
export { applyCommentCommand } from './commands.ts';
export type { AnchorState, ResolvedAnchor } from './anchor.ts';
export { resolveAnchor } from './anchor.ts';
export { COMMENTS_SCHEMA_VERSION, createCommentsDoc, parseMentions } from './model.ts';
export type { CommentReply, CommentThread, CommentsSnapshot } from './snapshot.ts';
export { commentsSnapshot } from './snapshot.ts';
