import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { originFor } from '@cutline/timeline';
import { applyCommentCommand } from '@cutline/timeline/comments';
import { commentUpdateViolation, type CommentWriter } from './comment-guard.ts';

const ada: CommentWriter = { userId: 'user-ada', canModerate: false };
const bob: CommentWriter = { userId: 'user-bob', canModerate: false };
const owner: CommentWriter = { userId: 'user-own', canModerate: true };

/** The server's document and one client's copy of it. */
function world() {
  const server = new Y.Doc();
  const client = () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    return doc;
  };
  /** What `doc` would send the server, checked as `writer`; applied when allowed. */
  const send = (doc: Y.Doc, writer: CommentWriter) => {
    const update = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(server));
    const violation = commentUpdateViolation(server, update, writer);
    if (violation === null) Y.applyUpdate(server, update);
    return violation;
  };
  const run = (writer: CommentWriter, command: Record<string, unknown>) => {
    const doc = client();
    const result = applyCommentCommand(doc, command, originFor('user', writer.userId));
    return { result, violation: send(doc, writer) };
  };
  return { server, client, send, run };
}

function threadOf(doc: Y.Doc, id: string): Y.Map<unknown> {
  return doc.getMap('threads').get(id) as Y.Map<unknown>;
}

describe('comments keep their authors (SY6)', () => {
  it('[SY6] lets anyone who may comment create, reply, resolve and reopen through the model', () => {
    const w = world();
    const created = w.run(ada, { type: 'createThread', body: 'Too dark', start: 1, end: 2 });
    expect(created.violation).toBeNull();
    const threadId = (created.result as { threadId: string }).threadId;
    expect(w.run(bob, { type: 'reply', threadId, body: 'On it' }).violation).toBeNull();
    expect(w.run(bob, { type: 'resolveThread', threadId }).violation).toBeNull();
    expect(w.run(ada, { type: 'reopenThread', threadId }).violation).toBeNull();
    expect(w.run(ada, { type: 'editComment', threadId, body: 'Much too dark' }).violation).toBeNull();
    expect(threadOf(w.server, threadId).get('body')).toBe('Much too dark');
    expect(w.run(ada, { type: 'deleteThread', threadId }).violation).toBeNull();
    expect(w.server.getMap('threads').size).toBe(0);
  });

  it("[SY6] refuses a thread or reply written in someone else's name", () => {
    const w = world();
    const forged = w.client();
    forged.transact(() => {
      forged.getMap('threads').set('t1', new Y.Map<unknown>([['authorId', ada.userId], ['body', 'not really Ada'], ['createdAt', 1], ['start', 0], ['end', 0]]));
    });
    expect(w.send(forged, bob)).toMatch(/author/);
    expect(w.server.getMap('threads').size).toBe(0);

    const { result } = w.run(ada, { type: 'createThread', body: 'Mine', start: 0 });
    const threadId = (result as { threadId: string }).threadId;
    const reply = w.client();
    const replies = threadOf(reply, threadId).get('replies') as Y.Map<unknown>;
    replies.set('r1', new Y.Map<unknown>([['authorId', ada.userId], ['body', 'fake'], ['createdAt', 2]]));
    expect(w.send(reply, bob)).toMatch(/reply r1/);
  });

  it("[SY6] refuses edits of someone else's comment, and any change of author or creation time", () => {
    const w = world();
    const threadId = (w.run(ada, { type: 'createThread', body: 'Original', start: 0 }).result as { threadId: string }).threadId;
    const edit = w.client();
    threadOf(edit, threadId).set('body', 'Bob rewrote this');
    expect(w.send(edit, bob)).toMatch(/only the author changes body/);
    const move = w.client();
    threadOf(move, threadId).set('start', 5_000_000);
    expect(w.send(move, bob)).toMatch(/only the author changes start/);
    const steal = w.client();
    threadOf(steal, threadId).set('authorId', bob.userId);
    expect(w.send(steal, ada)).toMatch(/authorId cannot change/);
    expect(threadOf(w.server, threadId).get('body')).toBe('Original');
  });

  it('[SY6] resolves only as oneself', () => {
    const w = world();
    const threadId = (w.run(ada, { type: 'createThread', body: 'Fix', start: 0 }).result as { threadId: string }).threadId;
    const forged = w.client();
    forged.transact(() => {
      threadOf(forged, threadId).set('resolved', true);
      threadOf(forged, threadId).set('resolvedBy', ada.userId);
    });
    expect(w.send(forged, bob)).toMatch(/resolves as someone else/);
  });

  it("[SY6] lets only the author or the owner delete a thread or a reply", () => {
    const w = world();
    const threadId = (w.run(ada, { type: 'createThread', body: 'Keep me', start: 0 }).result as { threadId: string }).threadId;
    const replyId = (w.run(ada, { type: 'reply', threadId, body: 'and me' }).result as { replyId: string }).replyId;
    const dropReply = w.client();
    (threadOf(dropReply, threadId).get('replies') as Y.Map<unknown>).delete(replyId);
    expect(w.send(dropReply, bob)).toMatch(/only its author or the owner deletes a reply/);
    const dropThread = w.client();
    dropThread.getMap('threads').delete(threadId);
    expect(w.send(dropThread, bob)).toMatch(/deletes a thread/);
    expect(w.server.getMap('threads').size).toBe(1);
    const moderated = w.client();
    moderated.getMap('threads').delete(threadId);
    expect(w.send(moderated, owner)).toBeNull();
    expect(w.server.getMap('threads').size).toBe(0);
  });

  it('[SY6] refuses writes outside the comments and changes of meta beyond the schema version', () => {
    const w = world();
    const junk = w.client();
    junk.getMap('probe').set('x', 1);
    expect(w.send(junk, ada)).toMatch(/outside the comments/);
    const meta = w.client();
    meta.getMap('meta').set('schemaVersion', 99);
    expect(w.send(meta, ada)).toMatch(/meta.schemaVersion/);
  });

  it('[SY6] refuses an update that depends on changes the server does not have', () => {
    const w = world();
    const ahead = w.client();
    applyCommentCommand(ahead, { type: 'createThread', body: 'first', start: 0 }, originFor('user', ada.userId));
    const missing = Y.encodeStateVector(ahead);
    applyCommentCommand(ahead, { type: 'createThread', body: 'second', start: 1 }, originFor('user', ada.userId));
    // Only the second change: it builds on the first, which the server never got.
    const update = Y.encodeStateAsUpdate(ahead, missing);
    expect(commentUpdateViolation(w.server, update, ada)).toMatch(/depends on changes/);
  });
});
