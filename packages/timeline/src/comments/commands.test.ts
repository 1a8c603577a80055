import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidCommandError, LimitExceededError, SchemaVersionError, UnknownIdError } from '../errors.ts';
import { sequentialIds } from '../ids.ts';
import { MIGRATION_ORIGIN, originFor } from '../origin.ts';
import { fixture, forkDoc, rejects, syncDocs } from '../testing/fixtures.ts';
import { jsonSchemaAccepts } from '../testing/json-schema.ts';
import { applyCommentCommand } from './commands.ts';
import { createCommentsDoc, parseMentions } from './model.ts';
import { COMMENT_COMMAND_SCHEMA, COMMENT_COMMAND_SCHEMAS, COMMENT_COMMAND_TYPES, COMMENT_LIMITS, parseCommentCommand } from './schema.ts';
import { commentsSnapshot } from './snapshot.ts';

const alice = originFor('user', 'alice');
const bob = originFor('user', 'bob');

function setup() {
  const doc = createCommentsDoc();
  let clock = 1_000;
  const ids = sequentialIds('k');
  const as = (origin: typeof alice, cmd: unknown, extra: { canModerate?: boolean } = {}) => applyCommentCommand(doc, cmd, origin, { now: () => clock++, ids, ...extra });
  return { doc, as };
}

describe('comment commands', () => {
  it('[TL60] creates a thread on a time range with replies in order', () => {
    const { doc, as } = setup();
    const { threadId } = as(alice, { type: 'createThread', body: 'Too long here @[bob]', start: 2, end: 4 }) as { threadId: string };
    as(bob, { type: 'reply', threadId, body: 'Agreed, @[alice] and @[carol]; @[alice]' });
    as(alice, { type: 'reply', threadId, body: 'Cutting it' });
    const s = commentsSnapshot(doc);
    expect(s.threads).toHaveLength(1);
    const t = s.threads[0]!;
    expect(t).toMatchObject({
      id: threadId,
      authorId: 'alice',
      body: 'Too long here @[bob]',
      mentions: ['bob'],
      createdAt: 1000,
      editedAt: null,
      resolved: false,
      anchor: { start: 2, end: 4, clipId: null, state: 'time' },
    });
    expect(t.replies.map((r) => [r.authorId, r.mentions])).toEqual([
      ['bob', ['alice', 'carol']],
      ['alice', []],
    ]);
    expect(Object.isFrozen(t.replies[0])).toBe(true);
  });

  it('[TL64] only the author edits; anyone resolves and reopens', () => {
    const { doc, as } = setup();
    const { threadId } = as(alice, { type: 'createThread', body: 'x', start: 0 }) as { threadId: string };
    const { replyId } = as(bob, { type: 'reply', threadId, body: 'y' }) as { replyId: string };
    expect(rejects(doc, () => as(bob, { type: 'editComment', threadId, body: 'hijack' }))).toBeInstanceOf(ForbiddenError);
    expect(rejects(doc, () => as(alice, { type: 'editComment', threadId, replyId, body: 'hijack' }))).toBeInstanceOf(ForbiddenError);
    as(alice, { type: 'editComment', threadId, body: 'x2' });
    as(bob, { type: 'editComment', threadId, replyId, body: 'y2' });
    as(bob, { type: 'resolveThread', threadId });
    let t = commentsSnapshot(doc).threads[0]!;
    expect(t).toMatchObject({ body: 'x2', resolved: true, resolvedBy: 'bob' });
    expect(t.editedAt).not.toBeNull();
    expect(t.replies[0]?.body).toBe('y2');
    as(alice, { type: 'reopenThread', threadId });
    t = commentsSnapshot(doc).threads[0]!;
    expect(t).toMatchObject({ resolved: false, resolvedBy: null, resolvedAt: null });
  });

  it('[TL64] the author or a moderator deletes', () => {
    const { doc, as } = setup();
    const { threadId } = as(alice, { type: 'createThread', body: 'x', start: 0 }) as { threadId: string };
    const { replyId } = as(alice, { type: 'reply', threadId, body: 'y' }) as { replyId: string };
    expect(rejects(doc, () => as(bob, { type: 'deleteReply', threadId, replyId }))).toBeInstanceOf(ForbiddenError);
    expect(rejects(doc, () => as(bob, { type: 'deleteThread', threadId }))).toBeInstanceOf(ForbiddenError);
    as(bob, { type: 'deleteReply', threadId, replyId }, { canModerate: true });
    expect(commentsSnapshot(doc).threads[0]?.replies).toEqual([]);
    as(alice, { type: 'deleteThread', threadId });
    expect(commentsSnapshot(doc).threads).toEqual([]);
    expect(rejects(doc, () => as(alice, { type: 'reply', threadId, body: 'late' }))).toBeInstanceOf(UnknownIdError);
    expect(rejects(doc, () => as(alice, { type: 'deleteReply', threadId: 'nope', replyId }))).toBeInstanceOf(UnknownIdError);
  });

  it('[TL60] validates input and refuses non-user origins', () => {
    const { doc, as } = setup();
    const { threadId } = as(alice, { type: 'createThread', body: 'x', start: 0, threadId: 'client-id' }) as { threadId: string };
    expect(threadId).toBe('client-id');
    expect(rejects(doc, () => as(alice, { type: 'createThread', body: 'x', start: 0, threadId: 'client-id' }))).toBeInstanceOf(ConflictError);
    expect(rejects(doc, () => as(alice, { type: 'createThread', body: '', start: 0 }))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(doc, () => as(alice, { type: 'createThread', body: 'x'.repeat(COMMENT_LIMITS.bodyLength + 1), start: 0 }))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(doc, () => as(alice, { type: 'createThread', body: 'x', start: 5, end: 4 }))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(doc, () => as(alice, { type: 'createThread', body: 'x', start: Number.NaN }))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(doc, () => as(alice, { type: 'reply', threadId, body: 'x', extra: 1 }))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(doc, () => as(alice, { type: 'createThread', body: 'x', start: 0, clipId: 'c1' }))).toBeInstanceOf(UnknownIdError);
    expect(rejects(doc, () => applyCommentCommand(doc, { type: 'reply', threadId, body: 'x' }, MIGRATION_ORIGIN))).toBeInstanceOf(ForbiddenError);
    const future = new Y.Doc();
    future.getMap('meta').set('schemaVersion', 9);
    expect(rejects(future, () => applyCommentCommand(future, { type: 'createThread', body: 'x', start: 0 }, alice))).toBeInstanceOf(SchemaVersionError);
  });

  it('[TL60] limits replies per thread', () => {
    const { doc, as } = setup();
    const { threadId } = as(alice, { type: 'createThread', body: 'x', start: 0 }) as { threadId: string };
    for (let i = 0; i < COMMENT_LIMITS.repliesPerThread; i++) as(bob, { type: 'reply', threadId, body: `r${i}` });
    expect(rejects(doc, () => as(bob, { type: 'reply', threadId, body: 'one more' }))).toBeInstanceOf(LimitExceededError);
  });

  it('[TL61] an uninitialised comments doc is stamped on first write; concurrent writers merge', () => {
    const a = new Y.Doc();
    const b = forkDoc(a);
    applyCommentCommand(a, { type: 'createThread', body: 'from a', start: 1 }, alice, { ids: sequentialIds('a') });
    applyCommentCommand(b, { type: 'createThread', body: 'from b', start: 0 }, bob, { ids: sequentialIds('b') });
    syncDocs(a, b);
    expect(commentsSnapshot(a)).toEqual(commentsSnapshot(b));
    expect(commentsSnapshot(a).threads.map((t) => t.body)).toEqual(['from b', 'from a']);
    expect(a.getMap('meta').get('schemaVersion')).toBe(1);
  });

  it('[TL60] schemas and validators agree', () => {
    expect(Object.keys(COMMENT_COMMAND_SCHEMAS).sort()).toEqual([...COMMENT_COMMAND_TYPES].sort());
    const samples: Array<[unknown, boolean]> = [
      [{ type: 'createThread', body: 'x', start: 1, end: 2, clipId: 'c' }, true],
      [{ type: 'reply', threadId: 't', body: 'x' }, true],
      [{ type: 'editComment', threadId: 't', replyId: 'r', body: 'x' }, true],
      [{ type: 'deleteReply', threadId: 't', replyId: 'r' }, true],
      [{ type: 'createThread', body: '', start: 1 }, false],
      [{ type: 'resolveThread' }, false],
      [{ type: 'reply', threadId: 'bad id', body: 'x' }, false],
      [{ type: 'shout', body: 'x' }, false],
    ];
    for (const [cmd, ok] of samples) {
      let parsed = true;
      try {
        parseCommentCommand(cmd);
      } catch {
        parsed = false;
      }
      expect(parsed, JSON.stringify(cmd)).toBe(ok);
      expect(jsonSchemaAccepts(COMMENT_COMMAND_SCHEMA, cmd), JSON.stringify(cmd)).toBe(ok);
    }
  });

  it('[TL63] mentions are @[userId] tokens, unique, in order', () => {
    expect(parseMentions('hi @[u1], @[u-2] and @[u1] but not @u3 or @[bad id] or @[]')).toEqual(['u1', 'u-2']);
  });
});

describe('clip anchors', () => {
  function timeline() {
    const f = fixture({ fps: { num: 25, den: 1 } });
    const t = f.track();
    const a = f.asset('video', 100);
    const clip = f.videoClip(t, a, 10, 10, 30);
    return { f, t, clip };
  }

  it('[TL62] a clip-anchored range follows the clip when it moves', () => {
    const { f, clip } = timeline();
    const { doc, as } = setup();
    const { threadId } = applyCommentCommand(doc, { type: 'createThread', body: 'flash frame', start: 12, end: 13, clipId: clip }, alice, { timeline: f.snap() }) as { threadId: string };
    expect(commentsSnapshot(doc, f.snap()).threads[0]?.anchor).toEqual({ start: 12, end: 13, clipId: clip, state: 'clip' });
    f.run({ type: 'moveClip', clipId: clip, start: 20 });
    expect(commentsSnapshot(doc, f.snap()).threads[0]?.anchor).toEqual({ start: 22, end: 23, clipId: clip, state: 'clip' });
    as(bob, { type: 'reply', threadId, body: 'still here' });
  });

  it('[TL62] trimming the start keeps the anchor on the same media; trimming it away marks it outside', () => {
    const { f, clip } = timeline();
    const { doc } = setup();
    applyCommentCommand(doc, { type: 'createThread', body: 'x', start: 12, end: 13, clipId: clip }, alice, { timeline: f.snap() });
    f.run({ type: 'trimClip', clipId: clip, edge: 'start', to: 11 });
    f.run({ type: 'moveClip', clipId: clip, start: 0 });
    expect(commentsSnapshot(doc, f.snap()).threads[0]?.anchor).toEqual({ start: 1, end: 2, clipId: clip, state: 'clip' });
    f.run({ type: 'trimClip', clipId: clip, edge: 'start', to: 1.5 });
    expect(commentsSnapshot(doc, f.snap()).threads[0]?.anchor).toMatchObject({ start: 1, end: 2, state: 'outside' });
  });

  it('[TL62] follows speed changes; falls back to the original times when the clip is gone', () => {
    const { f, clip } = timeline();
    const { doc } = setup();
    applyCommentCommand(doc, { type: 'createThread', body: 'x', start: 12, end: 14, clipId: clip }, alice, { timeline: f.snap() });
    f.run({ type: 'updateClip', clipId: clip, speed: 2 });
    expect(commentsSnapshot(doc, f.snap()).threads[0]?.anchor).toEqual({ start: 11, end: 12, clipId: clip, state: 'clip' });
    f.run({ type: 'removeClip', clipId: clip });
    expect(commentsSnapshot(doc, f.snap()).threads[0]?.anchor).toEqual({ start: 12, end: 14, clipId: clip, state: 'detached' });
    expect(commentsSnapshot(doc).threads[0]?.anchor.state).toBe('detached');
  });
});
