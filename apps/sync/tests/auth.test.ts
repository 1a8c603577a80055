import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { originFor } from '@cutline/timeline';
import { applyCommentCommand } from '@cutline/timeline/comments';
import { createSyncTicket, invalidateSession, removeMember, revokeApiToken, setMemberRole, type Role } from '@cutline/shared/auth';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { connect, open, until, type Client } from './support/clients.ts';
import { startSyncProcess, TEST_SECRET, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { commentsOf, timelineOf, world, type TestUser } from './support/world.ts';

type Access = 'write' | 'read' | 'none';

// The policy of @cutline/shared/auth, spelled out (SPEC.md SY2).
const expected: Record<Role | 'outsider', { timeline: Access; comments: Access }> = {
  owner: { timeline: 'write', comments: 'write' },
  editor: { timeline: 'write', comments: 'write' },
  commenter: { timeline: 'read', comments: 'write' },
  viewer: { timeline: 'read', comments: 'read' },
  outsider: { timeline: 'none', comments: 'none' },
};

/** Resolves with the sync status the server sends for the next change, true = applied. */
function nextSyncStatus(client: Client): Promise<boolean> {
  return new Promise((resolve) => {
    const on = ({ message }: { message: { decoder: { arr: Uint8Array } } }) => {
      const bytes = message.decoder.arr;
      // address, then type 8 (SyncStatus), then 1 or 0
      const nameLength = bytes[0] ?? 0;
      if (bytes[1 + nameLength] !== 8) return;
      client.provider.off('message', on);
      resolve(bytes[2 + nameLength] === 1);
    };
    client.provider.on('message', on);
  });
}

/** Writes a mark as `userId` the way the document allows it (SY6 keeps comments to their schema). */
function mark(doc: Y.Doc, documentName: string, key: string, userId: string): void {
  if (documentName.endsWith('/comments')) applyCommentCommand(doc, { type: 'createThread', threadId: key, body: key, start: 0 }, originFor('user', userId));
  else doc.getMap('probe').set(key, true);
}

const hasMark = (doc: Y.Doc, documentName: string, key: string): boolean =>
  documentName.endsWith('/comments') ? doc.getMap('threads').has(key) : doc.getMap('probe').get(key) === true;

forEachTransport('authentication and roles', (variant) => {
  let db: TestDatabase;
  let sync: SyncProcess;
  let w: ReturnType<typeof world>;
  let owner: TestUser;
  let project: string;
  const clients: Client[] = [];
  const track = (c: Client) => {
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    sync = await startSyncProcess({ variant, databaseUrl: db.url });
    w = world(db.sql);
    owner = await w.user('Owner');
    project = await w.project(owner);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sync?.crash();
    await db?.drop();
  });

  /**
   * Opens `documentName` as `token` and checks the outcome is exactly `access`: a write
   * is stored and reaches the owner; a read sees the owner's content while its own
   * change is refused, never stored and never broadcast.
   */
  async function expectAccess(documentName: string, token: string, access: Access, userId?: string): Promise<void> {
    const ownerClient = track(await open({ url: sync.url, documentName, token: owner.token }));
    const marker = `owner-${crypto.randomUUID()}`;
    mark(ownerClient.doc, documentName, marker, owner.id);
    await ownerClient.acked();

    const client = track(connect({ url: sync.url, documentName, token }));
    const outcome = await client.auth;
    if (access === 'none') {
      expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/^(forbidden|unauthorized)$/) });
      return;
    }
    expect(outcome).toEqual({ ok: true, scope: access === 'write' ? 'read-write' : 'readonly' });
    await client.synced();
    await client.acked();
    expect(hasMark(client.doc, documentName, marker)).toBe(true);

    const mine = `guest-${crypto.randomUUID()}`;
    const status = nextSyncStatus(client);
    mark(client.doc, documentName, mine, userId ?? owner.id);
    expect(await status).toBe(access === 'write');
    // An owner edit after the guest's: if the guest's change had been applied it would
    // have been broadcast before this one.
    const after = `owner-after-${crypto.randomUUID()}`;
    const seen = new Promise<void>((resolve) => {
      const on = () => {
        if (hasMark(client.doc, documentName, after)) {
          client.doc.off('update', on);
          resolve();
        }
      };
      client.doc.on('update', on);
    });
    mark(ownerClient.doc, documentName, after, owner.id);
    await seen;
    expect(hasMark(ownerClient.doc, documentName, mine)).toBe(access === 'write');
    if (userId && userId !== owner.id) {
      const stored = await db.sql<{ n: number }[]>`
        select count(*)::int as n from doc_updates where doc_name = ${documentName} and origin->>'userId' = ${userId}`;
      expect(stored[0]?.n).toBe(access === 'write' ? 1 : 0);
    }
    client.destroy();
    ownerClient.destroy();
  }

  for (const role of ['owner', 'editor', 'commenter', 'viewer', 'outsider'] as const) {
    for (const kind of ['timeline', 'comments'] as const) {
      it(`[SY2] [SY3] ${role} on the ${kind}: ${expected[role][kind]}`, async () => {
        const p = await w.project(owner);
        const user = role === 'owner' ? owner : await w.user(role);
        if (role !== 'owner' && role !== 'outsider') await w.member(p, user, role);
        await expectAccess(kind === 'timeline' ? timelineOf(p) : commentsOf(p), user.token, expected[role][kind], user.id);
      });
    }
  }

  it('[SY6] a commenter cannot rewrite someone else’s comment over the wire; their own replies still count', async () => {
    const p = await w.project(owner);
    const commenter = await w.user('Forger');
    await w.member(p, commenter, 'commenter');
    const documentName = commentsOf(p);
    const ownerClient = track(await open({ url: sync.url, documentName, token: owner.token }));
    mark(ownerClient.doc, documentName, 'by-owner', owner.id);
    await ownerClient.acked();

    const forger = track(await open({ url: sync.url, documentName, token: commenter.token }));
    await forger.acked();
    expect(hasMark(forger.doc, documentName, 'by-owner')).toBe(true);
    const refused = nextSyncStatus(forger);
    (forger.doc.getMap('threads').get('by-owner') as Y.Map<unknown>).set('body', 'rewritten by the forger');
    expect(await refused).toBe(false);
    // An owner edit after the forgery reaches the forger, so the forgery would have arrived first.
    const seen = new Promise<void>((resolve) => forger.doc.on('update', () => hasMark(forger.doc, documentName, 'later') && resolve()));
    mark(ownerClient.doc, documentName, 'later', owner.id);
    await seen;
    expect((ownerClient.doc.getMap('threads').get('by-owner') as Y.Map<unknown>).get('body')).toBe('by-owner');
    // A client that keeps forging is closed after a few refusals.
    for (let i = 0; i < 3; i++) {
      const again = nextSyncStatus(forger);
      (forger.doc.getMap('threads').get('by-owner') as Y.Map<unknown>).set('body', `forged again ${i}`);
      if (i < 2) expect(await again).toBe(false);
    }
    expect(await forger.closed).toBe('comment-refused');
    const stored = await db.sql<{ n: number }[]>`select count(*)::int as n from doc_updates where doc_name = ${documentName} and origin->>'userId' = ${commenter.id}`;
    expect(stored[0]?.n).toBe(0);
    expect((ownerClient.doc.getMap('threads').get('by-owner') as Y.Map<unknown>).get('body')).toBe('by-owner');
    forger.destroy();

    // A fresh connection of the same person replies as themselves: that is stored and seen.
    const honest = track(await open({ url: sync.url, documentName, token: commenter.token }));
    await honest.acked();
    const accepted = nextSyncStatus(honest);
    applyCommentCommand(honest.doc, { type: 'reply', threadId: 'by-owner', body: 'a real reply' }, originFor('user', commenter.id));
    expect(await accepted).toBe(true);
    await until([ownerClient.doc], () => ((ownerClient.doc.getMap('threads').get('by-owner') as Y.Map<unknown>).get('replies') as Y.Map<unknown>).size === 1, { what: 'the reply' });
  });

  it('[SY1] an API token carries its user’s role', async () => {
    const editor = await w.user('API editor');
    await w.member(project, editor, 'editor');
    const { token } = await w.apiToken(editor);
    await expectAccess(timelineOf(project), token, 'write', editor.id);
  });

  it.each([
    ['no token', () => Promise.resolve('')],
    ['a malformed token', () => Promise.resolve('not-a-token')],
    ['a well-formed token nobody issued', () => Promise.resolve('aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbb')],
    ['a token for another document name scheme', () => Promise.resolve(owner.token)],
  ])('[SY1] %s is refused', async (label, token) => {
    const documentName = label.includes('scheme') ? `other/${project}` : timelineOf(project);
    const client = track(connect({ url: sync.url, documentName, token: await token() }));
    expect(await client.auth).toEqual({ ok: false, reason: expect.stringMatching(/^(unauthorized|forbidden|unknown-document)$/) });
  });

  it('[SY1] a browser ticket from the web app works while fresh and while its session lives', async () => {
    const user = await w.user('Ticket holder');
    await w.member(project, user, 'editor');
    const { token } = createSyncTicket({ secret: TEST_SECRET, userId: user.id, sessionId: user.sessionId });
    await expectAccess(timelineOf(project), token, 'write', user.id);
    const forged = createSyncTicket({ secret: 'x'.repeat(40), userId: user.id, sessionId: user.sessionId });
    const refused = track(connect({ url: sync.url, documentName: timelineOf(project), token: forged.token }));
    expect(await refused.auth).toEqual({ ok: false, reason: 'unauthorized' });
    await invalidateSession({ sql: db.sql, sessionId: user.sessionId });
    const afterLogout = track(connect({ url: sync.url, documentName: timelineOf(project), token }));
    expect(await afterLogout.auth).toEqual({ ok: false, reason: 'unauthorized' });
  });

  it('[SY1] an expired session is refused', async () => {
    const user = await w.user('Expired');
    await w.member(project, user, 'editor');
    await db.sql`update sessions set expires_at = now() - interval '1 hour' where id = ${user.sessionId}`;
    const client = track(connect({ url: sync.url, documentName: timelineOf(project), token: user.token }));
    expect(await client.auth).toEqual({ ok: false, reason: 'unauthorized' });
  });

  it('[SY1] a removed member and a revoked API token are refused', async () => {
    const user = await w.user('Removed');
    await w.member(project, user, 'editor');
    const { token, tokenId } = await w.apiToken(user);
    await revokeApiToken({ sql: db.sql, userId: user.id, tokenId });
    const viaToken = track(connect({ url: sync.url, documentName: timelineOf(project), token }));
    expect(await viaToken.auth).toEqual({ ok: false, reason: 'unauthorized' });
    await removeMember({ sql: db.sql, projectId: project, userId: user.id });
    const viaSession = track(connect({ url: sync.url, documentName: timelineOf(project), token: user.token }));
    expect(await viaSession.auth).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('[SY5] removing a member disconnects them at once, and they cannot come back', async () => {
    const user = await w.user('Soon removed');
    await w.member(project, user, 'editor');
    const client = track(await open({ url: sync.url, documentName: timelineOf(project), token: user.token }));
    const refused = new Promise<string>((resolve) => client.provider.on('authenticationFailed', ({ reason }: { reason: string }) => resolve(reason)));
    await removeMember({ sql: db.sql, projectId: project, userId: user.id });
    expect(await client.closed).toBe('permission-revoked');
    // The provider reconnects on its own; the server now refuses it.
    expect(await refused).toBe('forbidden');
  });

  it('[SY5] logging a session out disconnects its sockets; other sessions of the user stay', async () => {
    const user = await w.user('Logged out');
    await w.member(project, user, 'editor');
    const other = await w.apiToken(user);
    const leaving = track(await open({ url: sync.url, documentName: timelineOf(project), token: user.token }));
    const staying = track(await open({ url: sync.url, documentName: timelineOf(project), token: other.token }));
    await invalidateSession({ sql: db.sql, sessionId: user.sessionId });
    expect(await leaving.closed).toBe('permission-revoked');
    staying.doc.getMap('probe').set('still-here', true);
    await staying.acked();
    expect(staying.provider.isAuthenticated).toBe(true);
  });

  it('[SY5] revoking an API token disconnects it', async () => {
    const user = await w.user('Token holder');
    await w.member(project, user, 'editor');
    const { token, tokenId } = await w.apiToken(user);
    const client = track(await open({ url: sync.url, documentName: timelineOf(project), token }));
    await revokeApiToken({ sql: db.sql, userId: user.id, tokenId });
    expect(await client.closed).toBe('permission-revoked');
  });

  it('[SY5] a downgrade from editor to viewer takes effect on the open connection', async () => {
    const user = await w.user('Downgraded');
    await w.member(project, user, 'editor');
    const client = track(await open({ url: sync.url, documentName: timelineOf(project), token: user.token }));
    expect(await client.auth).toEqual({ ok: true, scope: 'read-write' });
    const rescoped = new Promise<string>((resolve) => client.provider.on('authenticated', ({ scope }: { scope: string }) => resolve(scope)));
    await setMemberRole({ sql: db.sql, projectId: project, userId: user.id, role: 'viewer' });
    expect(await rescoped).toBe('readonly');
    await client.synced();
    await client.acked();
    const status = nextSyncStatus(client);
    client.doc.getMap('probe').set('after-downgrade', true);
    expect(await status).toBe(false);
    const fresh = track(await open({ url: sync.url, documentName: timelineOf(project), token: owner.token }));
    expect(fresh.doc.getMap('probe').get('after-downgrade')).toBeUndefined();
  });

  it('[SY4] a commenter’s timeline stays untouched however its client misbehaves', async () => {
    const user = await w.user('Commenter');
    await w.member(project, user, 'commenter');
    const doc = new Y.Doc();
    doc.getMap('probe').set('offline-edit', true); // made before connecting: sent in SyncStep2
    const client = track(connect({ url: sync.url, documentName: timelineOf(project), token: user.token, doc }));
    expect(await client.auth).toEqual({ ok: true, scope: 'readonly' });
    await client.synced();
    const fresh = track(await open({ url: sync.url, documentName: timelineOf(project), token: owner.token }));
    expect(fresh.doc.getMap('probe').get('offline-edit')).toBeUndefined();
  });
});
