import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { open, sameState, until, type Client } from './support/clients.ts';
import { randomEdit, rng, timelineJson } from './support/random-edits.ts';
import { startSyncProcess, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world, type TestUser } from './support/world.ts';

const CLIENTS = 10;
const EDITS_PER_CLIENT = 40;

forEachTransport('convergence', (variant) => {
  let db: TestDatabase;
  let sync: SyncProcess | undefined;
  let users: TestUser[];
  let project: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    sync = await startSyncProcess({ variant, databaseUrl: db.url });
    const w = world(db.sql);
    const owner = await w.user('Owner');
    project = await w.project(owner);
    users = [owner];
    for (let i = 1; i < CLIENTS; i++) {
      const u = await w.user(`Editor ${i}`);
      await w.member(project, u, 'editor');
      users.push(u);
    }
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sync?.crash();
    await db?.drop();
  });

  it('[SY10] 10 clients editing one timeline at once converge; a late joiner and a restarted server agree', async () => {
    if (!sync) throw new Error('no server');
    const seed = Math.floor(Math.random() * 2 ** 31);
    console.log(`convergence seed ${seed} (${variant.transport})`);
    const documentName = timelineOf(project);
    const url = sync.url;
    const editors = await Promise.all(users.map((u) => open({ url, documentName, token: u.token })));
    clients.push(...editors);

    // Every client edits concurrently: bursts of random commands, interleaved through
    // the event loop so updates cross on the wire.
    let applied = 0;
    await Promise.all(
      editors.map(async (client, i) => {
        const random = rng(seed + i);
        for (let n = 0; n < EDITS_PER_CLIENT; n++) {
          if (randomEdit(random, client.doc, users[i]?.id ?? 'nobody')) applied += 1;
          if (random() < 0.3) await new Promise<void>((resolve) => setImmediate(resolve));
          if (random() < 0.1) await client.acked();
        }
        await client.acked();
      }),
    );
    expect(applied).toBeGreaterThan(CLIENTS * EDITS_PER_CLIENT * 0.3);
    const docs = editors.map((c) => c.doc);
    await until(docs, () => sameState(docs), { what: 'all clients to converge' });
    const reference = timelineJson(editors[0]?.doc ?? docs[0]!);
    for (const client of editors) expect(timelineJson(client.doc).json).toBe(reference.json);
    expect(reference.problems).toEqual([]);

    const late = await open({ url, documentName, token: users[3]?.token ?? '' });
    clients.push(late);
    expect(timelineJson(late.doc).json).toBe(reference.json);

    // Everything was acknowledged, so a hard restart must lose nothing.
    await sync.crash();
    for (const c of clients) c.destroy();
    clients.length = 0;
    sync = await startSyncProcess({ variant, databaseUrl: db.url });
    const reloaded = await open({ url: sync.url, documentName, token: users[0]?.token ?? '' });
    clients.push(reloaded);
    expect(timelineJson(reloaded.doc).json).toBe(reference.json);
  });
});
