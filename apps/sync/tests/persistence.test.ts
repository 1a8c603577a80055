import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { Extension } from '@hocuspocus/server';
import { loadConfig } from '@cutline/shared/config';
import { createSql } from '@cutline/shared/db';
import { createLogger } from '@cutline/shared/log';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import type { SyncContext } from '../src/context.ts';
import { readDocument } from '@cutline/shared/document-log';
import { compactDocument } from '../src/persistence/update-log.ts';
import { mergeState } from '../src/persistence/compactor.ts';
import { startSyncServer, type SyncServer } from '../src/server.ts';
import { open, type Client } from './support/clients.ts';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';
import { timelineOf, world, type TestUser } from './support/world.ts';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Tells the test when a document has been unloaded. */
const unloads = new Map<string, () => void>();
const unloaded = (documentName: string) => new Promise<void>((resolve) => unloads.set(documentName, resolve));
const unloadWatcher: Extension<SyncContext> = {
  extensionName: 'test-unload-watcher',
  afterUnloadDocument: async ({ documentName }) => unloads.get(documentName)?.(),
};

/** Hooks Hocuspocus does not await, all failing (SY16). */
const failingHooks: Extension<SyncContext> = {
  extensionName: 'test-failing-hooks',
  onChange: () => {
    throw new Error('onChange blew up');
  },
  onAwarenessUpdate: () => Promise.reject(new Error('onAwarenessUpdate blew up')),
  beforeBroadcastStateless: () => Promise.reject(new Error('beforeBroadcastStateless blew up')),
};

describe('persistence (in-process server, ws transport)', () => {
  let db: TestDatabase;
  let server: SyncServer;
  let serverSql: ReturnType<typeof createSql>;
  let user: TestUser;
  let w: ReturnType<typeof world>;
  const clients: Client[] = [];
  const url = () => `ws://127.0.0.1:${server.port}`;
  let immediate: SyncServer;
  const immediateUrl = () => `ws://127.0.0.1:${immediate.port}`;

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    // The server gets its own pool, as in production: tests below hold connections and locks.
    serverSql = createSql({ url: db.url, max: 10, app: 'cutline-sync-test' });
    server = await startSyncServer({
      config: loadConfig({ DATABASE_URL: db.url, SYNC_TRANSPORT: 'node' }),
      log: createLogger({ app: 'sync-test', level: process.env.SYNC_TEST_LOG ?? 'silent' }),
      sql: serverSql,
      port: 0,
      extensions: [failingHooks, unloadWatcher],
      compactEvery: 25,
    });
    immediate = await startSyncServer({
      config: loadConfig({ DATABASE_URL: db.url, SYNC_TRANSPORT: 'node', SYNC_RELAY: 'immediate' }),
      log: createLogger({ app: 'sync-test', level: process.env.SYNC_TEST_LOG ?? 'silent' }),
      sql: serverSql,
      port: 0,
    });
    w = world(db.sql);
    user = await w.user('Persister');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
    await immediate?.stop();
    await serverSql?.end();
    await db?.drop();
  });

  it('[SY16] hooks that Hocuspocus does not await can fail without harming anyone', async () => {
    const documentName = timelineOf(await w.project(user));
    const a = await open({ url: url(), documentName, token: user.token });
    const b = await open({ url: url(), documentName, token: user.token });
    clients.push(a, b);
    a.provider.setAwarenessField('playhead', 1);
    a.doc.getMap('probe').set('k', 'v');
    await a.acked();
    await new Promise<void>((resolve) => {
      const check = () => b.doc.getMap('probe').get('k') === 'v' && resolve();
      b.doc.on('update', check);
      check();
    });
    expect(server.metrics.hookFailures.get({ hook: 'onChange' })).toBeGreaterThan(0);
  });

  it('[SY16] an unhandled rejection in the sync process is logged, not fatal', async () => {
    const script = [
      "import { createLogger } from '@cutline/shared/log';",
      "import { installProcessGuards } from './src/process-guards.ts';",
      "installProcessGuards({ log: createLogger({ app: 'guard-test', level: 'silent' }) });",
      "Promise.reject(new Error('nobody handles me'));",
      "setTimeout(() => console.log('still alive'), 10);",
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: 'still alive' });
  });

  it('[SY12] the log is compacted in the background; the document loads the same', async () => {
    const documentName = timelineOf(await w.project(user));
    const writer = await open({ url: url(), documentName, token: user.token });
    clients.push(writer);
    const compacted = server.store.compactor.nextCompaction(documentName);
    for (let i = 0; i < 40; i++) {
      writer.doc.getMap('probe').set(`k${i % 7}`, i);
      await writer.acked();
    }
    await compacted;
    const stored = await readDocument(db.sql, documentName);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates.length).toBeLessThan(40);
    const reader = await open({ url: url(), documentName, token: user.token });
    clients.push(reader);
    expect(reader.doc.getMap('probe').toJSON()).toEqual(writer.doc.getMap('probe').toJSON());
  });

  it('[SY12] an update that commits while a compaction runs is never lost', async () => {
    const documentName = `project/late${Date.now().toString(36)}/timeline`;
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i);
    const insert = (update: Uint8Array) => db.sql`insert into doc_updates (doc_name, update) values (${documentName}, ${update})`;
    for (const u of updates.slice(0, 2)) await insert(u);
    // A second connection takes an id for update 3 and holds its transaction open.
    const slow = createSql({ url: db.url, max: 1 });
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let inserted = () => {};
    const insertedYet = new Promise<void>((r) => (inserted = r));
    const late = slow.begin(async (tx) => {
      await tx`insert into doc_updates (doc_name, update) values (${documentName}, ${updates[2] as Uint8Array})`;
      inserted();
      await held;
    });
    await insertedYet;
    for (const u of updates.slice(3)) await insert(u);
    // Compaction sees rows 1, 2, 4, 5 (a higher id than the uncommitted one) and merges them.
    const result = await compactDocument({ sql: db.sql, documentName, minUpdates: 1, maxUpdates: 100, merge: (s, rows) => mergeState(s, rows).state });
    expect(result).toMatchObject({ compacted: true, merged: 4 });
    release();
    await late;
    await slow.end();
    const stored = await readDocument(db.sql, documentName);
    const reloaded = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(reloaded, stored.snapshot.state);
    for (const row of stored.updates) Y.applyUpdate(reloaded, row.update);
    expect(reloaded.getMap('m').toJSON()).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
  });

  it('[SY10] a peer never receives an update before it is in the log: relay and acknowledgement follow the commit', async () => {
    const project = await w.project(user);
    const documentName = timelineOf(project);
    const peer = await w.user('Peer');
    await w.member(project, peer, 'editor');
    // Test-only trigger: the author's rows wait for advisory lock 4242 (held below), as a
    // slow disk would hold the commit.
    await db.sql.unsafe(`
      create or replace function test_hold_author() returns trigger language plpgsql as $$
      begin
        if new.doc_name = '${documentName}' and new.origin->>'userId' = '${user.id}' then perform pg_advisory_xact_lock(4242); end if;
        return new;
      end $$;
      create trigger test_hold_author before insert on doc_updates for each row execute function test_hold_author();`);
    const locker = createSql({ url: db.url, max: 1 });
    const raw = await RawClient.connect(url());
    try {
      const author = await open({ url: url(), documentName, token: user.token });
      clients.push(author);
      await author.acked();
      const seen: string[] = [];
      raw.ws.on('message', (data: Buffer) => seen.push(data.toString('latin1')));
      await raw.authenticate(documentName, peer.token);
      await locker`select pg_advisory_lock(4242)`;

      author.doc.getMap('probe').set('k', 'held-by-the-disk');
      // The author's INSERT is now waiting on the lock (no event tells; the catalog does).
      for (;;) {
        const [waiting] = await db.sql<{ n: number }[]>`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = 4242 and not granted`;
        if ((waiting?.n ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      // A round trip on the peer's socket: whatever the server had sent it before the
      // answer has arrived by then, and the answer itself (the whole state) counts too.
      const answered = raw.next((m) => m.documentName === documentName && m.type === 0 && decoding.peekVarUint(m.body) === 1);
      await raw.send(frames.syncStep1(documentName, new Uint8Array([0])));
      await answered;
      expect(seen.some((m) => m.includes('held-by-the-disk'))).toBe(false);
      expect(author.provider.unsyncedChanges).toBe(1);

      const relayed = raw.next((m) => new TextDecoder('latin1').decode(m.bytes).includes('held-by-the-disk'));
      await locker`select pg_advisory_unlock(4242)`;
      await relayed;
      const [row] = await db.sql<{ n: number }[]>`
        select count(*)::int as n from doc_updates where doc_name = ${documentName} and origin->>'userId' = ${user.id}`;
      expect(row?.n).toBe(1);
      await author.acked();
    } finally {
      raw.close();
      await locker.end();
      await db.sql.unsafe('drop trigger test_hold_author on doc_updates; drop function test_hold_author();');
    }
  });

  it('[SY10] with SYNC_RELAY=immediate updates are relayed before they are stored, but an acknowledgement waits for everything it can depend on', async () => {
    const project = await w.project(user);
    const documentName = timelineOf(project);
    const other = await w.user('Builds on it');
    await w.member(project, other, 'editor');
    // Test-only trigger: the author's rows wait for advisory lock 4242 (held below);
    // the other user's rows announce their commit.
    await db.sql.unsafe(`
      create or replace function test_hold_author() returns trigger language plpgsql as $$
      begin
        if new.doc_name = '${documentName}' and new.origin->>'userId' = '${user.id}' then perform pg_advisory_xact_lock(4242); end if;
        if new.doc_name = '${documentName}' and new.origin->>'userId' = '${other.id}' then perform pg_notify('test_other_stored', new.doc_name); end if;
        return new;
      end $$;
      create trigger test_hold_author before insert on doc_updates for each row execute function test_hold_author();`);
    const locker = createSql({ url: db.url, max: 1 });
    try {
      const author = await open({ url: immediateUrl(), documentName, token: user.token });
      const builder = await open({ url: immediateUrl(), documentName, token: other.token });
      clients.push(author, builder);
      await Promise.all([author.acked(), builder.acked()]);
      await locker`select pg_advisory_lock(4242)`;
      let stored = () => {};
      const otherStored = new Promise<void>((resolve) => (stored = resolve));
      const { unlisten } = await db.sql.listen('test_other_stored', () => stored());

      author.doc.getMap('probe').set('k', 'from the author');
      // Relayed although the author's row cannot be written yet.
      await new Promise<void>((resolve) => {
        const check = () => builder.doc.getMap('probe').get('k') === 'from the author' && resolve();
        builder.doc.on('update', check);
        check();
      });
      // Overwriting the key makes the builder's update depend on the author's.
      builder.doc.getMap('probe').set('k', 'built on it');
      await otherStored;
      expect({ author: author.provider.unsyncedChanges, builder: builder.provider.unsyncedChanges }).toEqual({ author: 1, builder: 1 });

      await locker`select pg_advisory_unlock(4242)`;
      await builder.acked();
      const [row] = await db.sql<{ n: number }[]>`
        select count(*)::int as n from doc_updates where doc_name = ${documentName} and origin->>'userId' = ${user.id}`;
      expect(row?.n).toBe(1);
      await author.acked();
      await unlisten();
    } finally {
      await locker.end();
      await db.sql.unsafe('drop trigger test_hold_author on doc_updates; drop function test_hold_author();');
    }
  });

  it('[SY15] an update that cannot be stored is never acknowledged; the document state is written again and the client resyncs', async () => {
    const project = await w.project(user);
    const documentName = timelineOf(project);
    const unlucky = await w.user('Unlucky');
    await w.member(project, unlucky, 'editor');
    await db.sql.unsafe(`
      create table test_disk_full (on_ boolean);
      create or replace function test_disk_full() returns trigger language plpgsql as $$
      begin
        if new.doc_name = '${documentName}' and new.origin->>'userId' = '${unlucky.id}' and exists (select 1 from test_disk_full) then
          raise exception 'disk full (test)';
        end if;
        return new;
      end $$;
      create trigger test_disk_full before insert on doc_updates for each row execute function test_disk_full();`);
    try {
      const client = await open({ url: url(), documentName, token: unlucky.token });
      clients.push(client);
      await client.acked();
      await db.sql`insert into test_disk_full values (true)`;
      const closed = client.closed;
      client.doc.getMap('probe').set('fragile', 'edit');
      expect(await closed).toBe('storage-unavailable');
      expect(client.provider.unsyncedChanges).toBeGreaterThan(0);
      await db.sql`delete from test_disk_full`;
      // The provider reconnects by itself and resyncs; now it is acknowledged.
      await client.acked();
      expect(server.metrics.recoveries.get()).toBeGreaterThan(0);
      const reader = await open({ url: url(), documentName, token: user.token });
      clients.push(reader);
      expect(reader.doc.getMap('probe').get('fragile')).toBe('edit');
    } finally {
      await db.sql.unsafe('drop trigger test_disk_full on doc_updates; drop function test_disk_full(); drop table test_disk_full;');
    }
  });

  it('[SY13] a failed load refuses the connection and never overwrites what is stored', async () => {
    const documentName = timelineOf(await w.project(user));
    const writer = await open({ url: url(), documentName, token: user.token });
    writer.doc.getMap('probe').set('precious', 'data');
    await writer.acked();
    const gone = unloaded(documentName);
    writer.destroy();
    await gone;
    const storedContent = async () => {
      const stored = await readDocument(db.sql, documentName);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, mergeState(stored.snapshot?.state ?? null, stored.updates).state);
      return doc.getMap('probe').toJSON();
    };
    const before = await storedContent();
    expect(before).toEqual({ precious: 'data' });
    await db.sql`alter table doc_updates rename to doc_updates_unavailable`;
    try {
      const refused = await open({ url: url(), documentName, token: user.token }).then(
        (c) => {
          c.destroy();
          return 'opened';
        },
        (error: Error) => error.message,
      );
      expect(refused).toBe('refused: document-unavailable');
    } finally {
      await db.sql`alter table doc_updates_unavailable rename to doc_updates`;
    }
    expect(await storedContent()).toEqual(before);
    const reader = await open({ url: url(), documentName, token: user.token });
    clients.push(reader);
    expect(reader.doc.getMap('probe').get('precious')).toBe('data');
  });

  it('[SY14] a timeline nobody has written is initialised once, by the server, with the migration origin', async () => {
    const documentName = timelineOf(await w.project(user));
    const a = await open({ url: url(), documentName, token: user.token });
    clients.push(a);
    expect(a.doc.getMap('meta').get('schemaVersion')).toBeTypeOf('number');
    const rows = await db.sql<{ origin: unknown }[]>`select origin from doc_updates where doc_name = ${documentName}`;
    expect(rows).toEqual([{ origin: { source: 'migration' } }]);
  });
});
