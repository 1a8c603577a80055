import { createConnection } from 'node:net';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { snapshot } from '@cutline/timeline';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { open, sameState, until, type Client } from './support/clients.ts';
import { randomEdit, rng, timelineJson } from './support/random-edits.ts';
import { startSyncProcess, TEST_SECRET, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world, type TestUser } from './support/world.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Is a Redis answering PING at REDIS_URL? (The suite needs a real one.) */
async function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
  });
}

const haveRedis = await redisAnswers(REDIS_URL);
if (!haveRedis && process.env.CI) throw new Error(`CI needs Redis at ${REDIS_URL} for the cluster tests`);

forEachTransport(`two sync nodes through Redis${haveRedis ? '' : ' (skipped: no Redis at ' + REDIS_URL + ')'}`, (variant) => {
  let db: TestDatabase;
  let nodeA: SyncProcess;
  let nodeB: SyncProcess;
  let users: TestUser[];
  let project: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    if (!haveRedis) return;
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    [nodeA, nodeB] = await Promise.all([
      startSyncProcess({ variant, databaseUrl: db.url, env: { REDIS_URL } }),
      startSyncProcess({ variant, databaseUrl: db.url, env: { REDIS_URL } }),
    ]);
    const w = world(db.sql);
    users = [await w.user('On A'), await w.user('On B'), await w.user('Also on A'), await w.user('Also on B')];
    project = await w.project(users[0] as TestUser);
    for (const u of users.slice(1)) await w.member(project, u, 'editor');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await Promise.all([nodeA?.crash(), nodeB?.crash()]);
    await db?.drop();
  });

  it.skipIf(!haveRedis)('[SY80] clients on different nodes edit one timeline and converge', async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    const documentName = timelineOf(project);
    const nodes = [nodeA, nodeB, nodeA, nodeB];
    const editors = await Promise.all(users.map((u, i) => open({ url: nodes[i]?.url ?? '', documentName, token: u.token })));
    clients.push(...editors);
    const started = performance.now();
    await Promise.all(
      editors.map(async (client, i) => {
        const random = rng(seed + i);
        for (let n = 0; n < 25; n++) {
          randomEdit(random, client.doc, users[i]?.id ?? '');
          if (random() < 0.3) await new Promise<void>((resolve) => setImmediate(resolve));
        }
        await client.acked();
      }),
    );
    const docs = editors.map((c) => c.doc);
    await until(docs, () => sameState(docs), { what: 'both nodes’ clients to converge' });
    // Logged, not asserted: latency belongs to the benchmark.
    console.log(`cluster (${variant.transport}): converged ${Math.round(performance.now() - started)} ms after the first edit (seed ${seed})`);
    const reference = timelineJson(docs[0]!).json;
    for (const d of docs) expect(timelineJson(d).json).toBe(reference);
  });

  it.skipIf(!haveRedis)('[SY15] each node also stores the updates it received from the other, marked as relayed', async () => {
    const [row] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from doc_updates where doc_name = ${timelineOf(project)} and origin = '{"source":"relay"}'::jsonb`;
    expect(row?.n).toBeGreaterThan(0);
  });

  it.skipIf(!haveRedis)('[SY80] presence and server-side edits cross nodes', async () => {
    const documentName = timelineOf(project);
    const onA = await open({ url: nodeA.url, documentName, token: users[0]?.token ?? '' });
    const onB = await open({ url: nodeB.url, documentName, token: users[1]?.token ?? '' });
    clients.push(onA, onB);
    onB.provider.setAwarenessField('playhead', 3_000_000);
    const awareness = onA.provider.awareness;
    const state = await new Promise<Record<string, unknown>>((resolve) => {
      const check = () => {
        const s = awareness?.getStates().get(onB.doc.clientID) as Record<string, unknown> | undefined;
        if (s?.playhead === 3_000_000) resolve(s);
      };
      awareness?.on('change', check);
      check();
    });
    expect(state.user).toMatchObject({ id: users[1]?.id });

    const response = await fetch(`${nodeA.http}/internal/v1/edits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRET}` },
      body: JSON.stringify({ documentName, origin: { source: 'assistant', userId: users[0]?.id }, commands: [{ type: 'addMarker', time: 7, label: 'from A' }] }),
    });
    expect(response.status).toBe(200);
    await until([onB.doc], () => snapshot(onB.doc).markers.some((m) => m.label === 'from A'), { what: 'the edit made on node A to reach node B' });
  });
});
