import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { open, type Client } from './support/clients.ts';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';
import { startSyncProcess, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world, type TestUser } from './support/world.ts';

const emptyStateVector = Y.encodeStateVector(new Y.Doc());

forEachTransport('updates that must not be stored', (variant) => {
  let db: TestDatabase;
  let sync: SyncProcess;
  let user: TestUser;
  let w: ReturnType<typeof world>;
  const clients: Client[] = [];
  const raws: RawClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    sync = await startSyncProcess({ variant, databaseUrl: db.url });
    w = world(db.sql);
    user = await w.user('Updates');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const r of raws) r.close();
    await sync?.crash();
    await db?.drop();
  });

  /** A raw socket with `documentName` open and synced. */
  const rawOn = async (documentName: string): Promise<RawClient> => {
    const raw = await RawClient.connect(sync.url);
    raws.push(raw);
    await raw.authenticate(documentName, user.token);
    const synced = raw.next((m) => m.documentName === documentName && m.type === 0);
    await raw.send(frames.syncStep1(documentName, emptyStateVector));
    await synced;
    return raw;
  };
  /** Resolves with the server's answer to the next update on `documentName`: SyncStatus true or false. */
  const answer = (raw: RawClient, documentName: string) =>
    raw.next((m) => m.documentName === documentName && m.type === 8).then((m) => (decoding.readVarUint(m.body) === 1 ? 'acknowledged' : 'refused'));
  /** A fresh load of the document, from the log (every client of it gone first). */
  const reload = async (documentName: string): Promise<Client> => {
    const reader = await open({ url: sync.url, documentName, token: user.token });
    clients.push(reader);
    return reader;
  };

  it('[SY31] an update with bytes after it closes the socket and is not stored', async () => {
    const documentName = timelineOf(await w.project(user));
    const raw = await rawOn(documentName);
    const source = new Y.Doc();
    source.getMap('probe').set('trailing', true);
    const acknowledged = raw.next((m) => m.type === 8).then(() => ({ code: 0, reason: 'acknowledged' }));
    await raw.send(frames.update(documentName, Uint8Array.from([...Y.encodeStateAsUpdate(source), 0, 1, 2])));
    expect(await Promise.race([raw.closed, acknowledged])).toEqual({ code: 1007, reason: 'invalid-update' });
    const reader = await reload(documentName);
    expect(reader.doc.getMap('probe').get('trailing')).toBeUndefined();
  });

  it('[SY32] a map nested 3,000 deep is refused like a read-only write, not stored; the document still reads', async () => {
    const documentName = timelineOf(await w.project(user));
    const raw = await rawOn(documentName);
    const source = new Y.Doc();
    source.transact(() => {
      let parent: Y.Map<unknown> = source.getMap('probe');
      for (let i = 0; i < 3_000; i++) {
        const child = new Y.Map<unknown>();
        parent.set('child', child);
        parent = child;
      }
    });
    const answered = answer(raw, documentName);
    await raw.send(frames.update(documentName, Y.encodeStateAsUpdate(source)));
    expect(await answered).toBe('refused');
    // The connection carries on: a sound update is taken.
    const fine = new Y.Doc();
    fine.getMap('probe').set('fine', true);
    const next = answer(raw, documentName);
    await raw.send(frames.update(documentName, Y.encodeStateAsUpdate(fine)));
    expect(await next).toBe('acknowledged');
    const reader = await reload(documentName);
    expect(reader.doc.getMap('probe').get('child')).toBeUndefined();
    expect(reader.doc.getMap('probe').get('fine')).toBe(true);
    expect(() => reader.doc.toJSON()).not.toThrow();
  });

  it('[SY33] an update that depends on changes the server does not have is refused, not stored; later loads carry nothing pending', async () => {
    const documentName = timelineOf(await w.project(user));
    const raw = await rawOn(documentName);
    const source = new Y.Doc();
    source.getText('probe').insert(0, 'never sent');
    const vector = Y.encodeStateVector(source);
    source.getText('probe').insert(0, 'depends: ');
    source.getText('probe').delete(10, 3);
    const answered = answer(raw, documentName);
    await raw.send(frames.update(documentName, Y.encodeStateAsUpdate(source, vector)));
    expect(await answered).toBe('refused');
    raw.close();
    const reader = await reload(documentName);
    expect(reader.doc.getText('probe').toString()).toBe('');
    expect([reader.doc.store.pendingStructs, reader.doc.store.pendingDs]).toEqual([null, null]);
    // Ordinary edits carry on.
    reader.doc.getText('probe').insert(0, 'fine');
    await reader.acked();
    reader.destroy();
    const again = await reload(documentName);
    expect(again.doc.getText('probe').toString()).toBe('fine');
  });
});
