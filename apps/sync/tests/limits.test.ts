import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { open, until, type Client } from './support/clients.ts';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';
import { startSyncProcess, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { commentsOf, timelineOf, world, type TestUser } from './support/world.ts';

const MiB = 1024 * 1024;
const emptyStateVector = Y.encodeStateVector(new Y.Doc());

forEachTransport('limits', (variant) => {
  let db: TestDatabase;
  let tight: SyncProcess;
  let few: SyncProcess;
  let bulk: SyncProcess;
  let user: TestUser;
  let w: ReturnType<typeof world>;
  const clients: Client[] = [];
  const raws: RawClient[] = [];
  const track = <T extends Client | RawClient>(c: T): T => {
    if (c instanceof RawClient) raws.push(c);
    else clients.push(c);
    return c;
  };

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    [tight, few, bulk] = await Promise.all([
      startSyncProcess({
        variant,
        databaseUrl: db.url,
        env: {
          SYNC_MAX_FRAME_BYTES: String(2 * MiB),
          SYNC_MAX_DOCUMENT_BYTES: String(4 * MiB),
          SYNC_MAX_MESSAGES_PER_SECOND: '20',
          SYNC_MAX_DOCUMENTS_PER_CONNECTION: '3',
        },
      }),
      startSyncProcess({ variant, databaseUrl: db.url, env: { SYNC_MAX_CONNECTIONS_PER_IP: '3' } }),
      startSyncProcess({ variant, databaseUrl: db.url, env: { SYNC_MAX_FRAME_BYTES: String(256 * 1024), SYNC_MAX_MESSAGES_PER_SECOND: '100000' } }),
    ]);
    w = world(db.sql);
    user = await w.user('Limited');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const r of raws) r.close();
    await Promise.all([tight?.crash(), few?.crash(), bulk?.crash()]);
    await db?.drop();
  });

  it('[SY21] a 1.5 MiB update goes through, is stored and relayed (limits are set, not transport defaults)', async () => {
    const documentName = timelineOf(await w.project(user));
    const a = track(await open({ url: tight.url, documentName, token: user.token }));
    const b = track(await open({ url: tight.url, documentName, token: user.token }));
    const big = 'x'.repeat(1.5 * MiB);
    a.doc.getMap('probe').set('big', big);
    await a.acked();
    await until([b.doc], () => b.doc.getMap('probe').get('big') === big, { what: 'the big update to be relayed' });
  });

  it('[SY20] a frame over SYNC_MAX_FRAME_BYTES closes that socket; the document is untouched', async () => {
    const documentName = timelineOf(await w.project(user));
    const bystander = track(await open({ url: tight.url, documentName, token: user.token }));
    const raw = track(await RawClient.connect(tight.url));
    await raw.authenticate(documentName, user.token);
    const doc = new Y.Doc();
    doc.getMap('probe').set('huge', 'y'.repeat(3 * MiB));
    await raw.send(frames.update(documentName, Y.encodeStateAsUpdate(doc)));
    const { code } = await raw.closed;
    expect([1006, 1009]).toContain(code);
    bystander.doc.getMap('probe').set('after', true);
    await bystander.acked();
    expect(bystander.doc.getMap('probe').get('huge')).toBeUndefined();
  });

  it('[SY22] more messages per second than allowed closes the socket', async () => {
    const documentName = timelineOf(await w.project(user));
    const raw = track(await RawClient.connect(tight.url));
    await raw.authenticate(documentName, user.token);
    for (let i = 0; i < 200 && raw.open; i++) void raw.send(frames.typed(documentName, 3));
    expect(await raw.closed).toEqual({ code: 4430, reason: 'rate-limited' });
  });

  it('[SY23] a socket may hold SYNC_MAX_DOCUMENTS_PER_CONNECTION documents', async () => {
    const p1 = await w.project(user);
    const p2 = await w.project(user);
    const raw = track(await RawClient.connect(tight.url));
    await raw.authenticate(timelineOf(p1), user.token);
    await raw.authenticate(commentsOf(p1), user.token);
    await raw.authenticate(timelineOf(p2), user.token);
    await expect(raw.authenticate(commentsOf(p2), user.token)).rejects.toThrow('refused: too-many-documents');
    // Closing one frees its slot.
    const closedAnswer = raw.next((m) => m.type === 7);
    await raw.send(frames.typed(timelineOf(p1), 7));
    await closedAnswer.catch(() => undefined);
    await expect(raw.authenticate(commentsOf(p2), user.token)).resolves.toBe('read-write');
  });

  it('[SY23] opening one document too many at once refuses that document only; the socket and the others carry on', async () => {
    const p1 = await w.project(user);
    const p2 = await w.project(user);
    const names = [timelineOf(p1), commentsOf(p1), timelineOf(p2), commentsOf(p2)];
    const raw = track(await RawClient.connect(tight.url));
    const socketClosed = raw.closed.then(({ code, reason }) => Promise.reject(new Error(`the socket closed: ${code} ${reason}`)));
    socketClosed.catch(() => {});
    const answers = names.map((name) => Promise.race([raw.next((m) => m.documentName === name && m.type === 2), socketClosed]));
    // All four in one burst, as a client with several documents sends them on (re)connect.
    await Promise.all(names.map((name) => raw.send(frames.auth(name, user.token))));
    const outcomes = await Promise.all(
      answers.map(async (answer) => {
        const reply = await answer;
        const kind = decoding.readVarUint(reply.body);
        return `${kind === 2 ? 'ok' : 'refused'}: ${decoding.readVarString(reply.body)}`;
      }),
    );
    expect(outcomes.filter((o) => o.startsWith('ok'))).toHaveLength(3);
    expect(outcomes.filter((o) => o.startsWith('refused'))).toEqual(['refused: too-many-documents']);
    expect(raw.open).toBe(true);
    const open = names.filter((_, i) => outcomes[i]?.startsWith('ok'));
    const synced = raw.next((m) => m.documentName === open[0] && m.type === 0);
    await raw.send(frames.syncStep1(open[0] ?? '', emptyStateVector));
    expect((await synced).documentName).toBe(open[0]);
  });

  it('[SY24] connections per client address are capped by the socket address, not headers', async () => {
    const held = await Promise.all([0, 1, 2].map(() => RawClient.connect(few.url)));
    held.forEach((r) => track(r));
    await expect(RawClient.connect(few.url)).rejects.toThrow('upgrade refused: 429');
    held[0]?.close();
    await held[0]?.closed;
    // The slot comes back once the server has seen the close; retry on refusal, each
    // attempt awaiting the previous answer.
    let admitted: RawClient | undefined;
    for (let attempt = 0; attempt < 200 && !admitted; attempt++) admitted = await RawClient.connect(few.url).catch(() => undefined);
    expect(admitted).toBeDefined();
    if (admitted) track(admitted);
  });

  it('[SY25] an edit that would grow a document past SYNC_MAX_DOCUMENT_BYTES is refused; what came before stays', async () => {
    const documentName = timelineOf(await w.project(user));
    const writer = track(await open({ url: tight.url, documentName, token: user.token }));
    writer.doc.getMap('probe').set('a', 'a'.repeat(1.5 * MiB));
    writer.doc.getMap('probe').set('b', 'b'.repeat(1.5 * MiB));
    await writer.acked();
    const closed = writer.closed;
    writer.doc.getMap('probe').set('c', 'c'.repeat(1.5 * MiB));
    expect(await closed).toBe('document-too-large');
    writer.destroy();
    const reader = track(await open({ url: tight.url, documentName, token: user.token }));
    const probe = reader.doc.getMap('probe');
    expect([typeof probe.get('a'), typeof probe.get('b'), probe.get('c')]).toEqual(['string', 'string', undefined]);
  });

  it('[SY31] a malformed frame closes that socket only', async () => {
    const documentName = timelineOf(await w.project(user));
    const bad = track(await RawClient.connect(tight.url));
    const good = track(await RawClient.connect(tight.url));
    await bad.authenticate(documentName, user.token);
    await good.authenticate(documentName, user.token);
    await bad.send(Uint8Array.from([200, 1, 2, 3]));
    expect((await bad.closed).code).toBe(1007);
    const answer = good.next((m) => m.type === 0);
    await good.send(frames.syncStep1(documentName, emptyStateVector));
    expect((await answer).documentName).toBe(documentName);
  });

  it('[SY26] a client that stops reading is dropped once its backlog passes the limit', async () => {
    const documentName = timelineOf(await w.project(user));
    const slow = track(await RawClient.connect(bulk.url));
    await slow.authenticate(documentName, user.token);
    const synced = slow.next((m) => m.type === 0);
    await slow.send(frames.syncStep1(documentName, emptyStateVector));
    await synced;
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const writer = track(await open({ url: bulk.url, documentName, token: user.token }));
    for (let i = 0; i < 100; i++) {
      writer.doc.getMap('probe').set('blob', `${i}`.padEnd(200 * 1024, '.'));
      await writer.acked();
    }
    const metrics = await (await fetch(`${bulk.http}/metrics`)).text();
    expect(metrics).toMatch(/^sync_rejected_messages_total\{reason="backpressure"\} [1-9]/m);
    socket.resume();
    expect((await slow.closed).code).toBe(1006);
  });
});
