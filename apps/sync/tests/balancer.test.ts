/**
 * Several sync nodes behind a real load balancer (HAProxy), sharing a private Redis, with
 * editors that only know the balancer's address — the deployment of docker-compose.yml.
 * Chaos while they edit: kill -9 of a node (its editors reconnect through the balancer to
 * the survivors), a Redis restart (the nodes recover by themselves), the node back.
 *
 * `npm test` runs one short cycle per transport; `npm run chaos` repeats the cycles for
 * minutes. Parameters (env): CHAOS_SECONDS (0 = one cycle), CHAOS_CLIENTS (10),
 * CHAOS_NODES (3), CHAOS_ACKS_PER_STEP (30), CHAOS_SEED, CHAOS_TRANSPORT (node|uws).
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { applyCommands, originFor, snapshot } from '@cutline/timeline';
import { createTestDatabase, freePort, type TestDatabase } from '@cutline/shared/testing';
import { findCommand, startBalancer, startRedis, type Balancer, type RedisServer } from './support/balancer.ts';
import { open, sameState, until, type Client } from './support/clients.ts';
import { rng } from './support/random-edits.ts';
import { startSyncProcess, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world, type TestUser } from './support/world.ts';

const env = process.env;
const SECONDS = Number(env.CHAOS_SECONDS ?? 0);
const CLIENTS = Number(env.CHAOS_CLIENTS ?? 10);
const NODES = Math.max(2, Number(env.CHAOS_NODES ?? 3));
const ACKS_PER_STEP = Number(env.CHAOS_ACKS_PER_STEP ?? 30);
const ONLY = env.CHAOS_TRANSPORT;

const haproxy = findCommand('haproxy');
const redisServer = findCommand('redis-server');
if (env.CI && (!haproxy || !redisServer)) throw new Error('CI needs haproxy and redis-server for the load-balancer tests (.ci/run installs haproxy)');
const missing = !haproxy ? 'haproxy is not installed (apt-get install haproxy)' : !redisServer ? 'redis-server is not installed' : '';
if (missing) console.warn(`load-balancer tests skipped: ${missing}`);

forEachTransport(`sync nodes behind HAProxy${missing ? ` (skipped: ${missing})` : ''}`, (variant) => {
  const skip = Boolean(missing) || (ONLY !== undefined && ONLY !== variant.transport);
  let db: TestDatabase;
  let users: TestUser[];
  let project: string;
  let redis: RedisServer | undefined;
  let balancer: Balancer | undefined;
  const nodes: (SyncProcess | null)[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    if (skip) return;
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    const w = world(db.sql);
    users = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => w.user(`Editor ${i + 1}`)));
    project = await w.project(users[0] as TestUser);
    for (const u of users.slice(1)) await w.member(project, u, 'editor');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await Promise.all(nodes.map((n) => n?.crash()));
    await balancer?.stop();
    await redis?.stop();
    await db?.drop();
  });

  it.skipIf(skip)(
    `[SY81] ${CLIENTS} editors through the balancer lose no acknowledged edit across kill -9 of a node and a Redis restart, and every copy converges`,
    { timeout: (SECONDS + 180) * 1000 },
    async () => {
      const seed = Number(env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const random = rng(seed);
      const log = (line: string) => console.log(`chaos (${variant.transport}, seed ${seed}): ${line}`);
      const documentName = timelineOf(project);

      redis = await startRedis();
      const ports = await Promise.all(Array.from({ length: NODES }, () => freePort()));
      const names = ports.map((_, i) => `node${i + 1}`);
      const start = (i: number) => startSyncProcess({ variant, databaseUrl: db.url, port: ports[i], env: { REDIS_URL: redis?.url ?? '' } });
      nodes.push(...(await Promise.all(ports.map((_, i) => start(i)))));
      balancer = await startBalancer({ command: haproxy ?? '', nodes: ports.map((port, i) => ({ name: names[i] ?? '', port })) });
      const lb = balancer;
      clients.push(...(await Promise.all(users.map((u) => open({ url: lb.url, documentName, token: u.token })))));

      // Acknowledged = sent before this client's unsynced count last dropped to zero
      // (SyncStatus, SPEC.md SY11), as in tests/durability.test.ts.
      const acknowledgedAdds = new Set<string>();
      const acknowledgedRemovals = new Set<string>();
      const removedLocally = new Set<string>();
      let acks = 0;
      const ackWaiters = new Set<{ target: number; resolve: () => void }>();
      const acksAfter = (n: number, what: string) =>
        new Promise<void>((resolve, reject) => {
          const waiter = { target: acks + n, resolve: () => (clearTimeout(timer), resolve()) };
          const timer = setTimeout(() => {
            ackWaiters.delete(waiter);
            reject(new Error(`no ${n} acknowledgements ${what} within 60 s (${acks} so far)`));
          }, 60_000);
          ackWaiters.add(waiter);
        });

      let editing = true;
      let stopEditing = () => {};
      const stopped = new Promise<void>((resolve) => (stopEditing = resolve));
      const loops = clients.map(async (client, i) => {
        const userId = users[i]?.id ?? '';
        const mine: string[] = [];
        const sentAdds: string[] = [];
        const sentRemovals: string[] = [];
        client.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
          if (number !== 0) return;
          for (const id of sentAdds.splice(0)) acknowledgedAdds.add(id);
          for (const id of sentRemovals.splice(0)) acknowledgedRemovals.add(id);
          acks += 1;
          for (const waiter of ackWaiters) {
            if (acks < waiter.target) continue;
            ackWaiters.delete(waiter);
            waiter.resolve();
          }
        });
        const pick = rng(seed + i + 1);
        while (editing) {
          const burst = 1 + Math.floor(pick() * 4);
          for (let b = 0; b < burst; b++) {
            // Removals keep each editor's markers bounded (a timeline holds at most 1000).
            if (mine.length >= 40 || (mine.length > 3 && pick() < 0.25)) {
              const [id] = mine.splice(Math.floor(pick() * mine.length), 1);
              if (!id) continue;
              applyCommands(client.doc, [{ type: 'removeMarker', markerId: id }], originFor('user', userId));
              removedLocally.add(id);
              sentRemovals.push(id);
            } else {
              const [result] = applyCommands(client.doc, [{ type: 'addMarker', time: Math.round(pick() * 1000) / 10 }], originFor('user', userId));
              if (result && 'markerId' in result) {
                mine.push(result.markerId);
                sentAdds.push(result.markerId);
              }
            }
          }
          await Promise.race([client.acked(), stopped]);
          // An editor's pace (20–100 ms between bursts), not a wait for anything.
          await new Promise((resolve) => setTimeout(resolve, 20 + pick() * 80));
        }
      });

      const started = Date.now();
      let kills = 0;
      let redisRestarts = 0;
      await acksAfter(ACKS_PER_STEP, 'to warm up');
      do {
        const live = nodes.map((n, i) => (n ? i : -1)).filter((i) => i >= 0);
        const victim = live[Math.floor(random() * live.length)] ?? 0;
        const name = names[victim] ?? '';
        const down = lb.marked(name, false);
        await nodes[victim]?.crash();
        nodes[victim] = null;
        kills += 1;
        await down;
        log(`killed ${name} (kill -9); HAProxy marked it down`);
        await acksAfter(ACKS_PER_STEP, `after ${name} was killed`);

        await redis.restart();
        redisRestarts += 1;
        log('restarted Redis (empty)');
        await acksAfter(ACKS_PER_STEP, 'after the Redis restart');

        const up = lb.marked(name, true);
        nodes[victim] = await start(victim);
        await up;
        log(`${name} is back and marked up`);
        await acksAfter(ACKS_PER_STEP, `after ${name} came back`);
      } while (Date.now() - started < SECONDS * 1000);

      editing = false;
      stopEditing();
      await Promise.all(loops);
      await Promise.all(clients.map((c) => c.acked()));
      const docs = clients.map((c) => c.doc);
      await until(docs, () => sameState(docs), { what: 'the editors’ copies to converge', timeoutMs: 60_000 });

      // Every node — survivors and the restarted one — serves that same state.
      const direct = await Promise.all(nodes.map((n) => open({ url: n?.url ?? '', documentName, token: users[0]?.token ?? '' })));
      clients.push(...direct);
      const all = [...docs, ...direct.map((c) => c.doc)];
      await until(all, () => sameState(all), { what: 'every node to serve the converged state', timeoutMs: 60_000 });

      const converged = snapshot(docs[0] as Y.Doc);
      const present = new Set(converged.markers.map((m) => m.id));
      expect([...acknowledgedAdds].filter((id) => !present.has(id) && !removedLocally.has(id)), 'acknowledged markers missing').toEqual([]);
      expect([...acknowledgedRemovals].filter((id) => present.has(id)), 'acknowledged removals undone').toEqual([]);

      // What is stored: stop everything gracefully, then a lone fresh node (no Redis) loads it.
      for (const c of clients.splice(0)) c.destroy();
      const exits = await Promise.all(nodes.map((n) => n?.stop()));
      for (const exit of exits) expect(exit?.code).toBe(0);
      nodes.splice(0);
      const fresh = await startSyncProcess({ variant, databaseUrl: db.url });
      nodes.push(fresh);
      const verifier = await open({ url: fresh.url, documentName, token: users[0]?.token ?? '' });
      clients.push(verifier);
      expect(Y.equalSnapshots(Y.snapshot(verifier.doc), Y.snapshot(docs[0] as Y.Doc)), 'the stored document equals the converged copies').toBe(true);
      log(
        `${Math.round((Date.now() - started) / 1000)} s, ${acks} acknowledgements, ${acknowledgedAdds.size} markers added and ${acknowledgedRemovals.size} removed (acknowledged), ${kills} node kills, ${redisRestarts} Redis restarts; converged and stored`,
      );
    },
  );
});
