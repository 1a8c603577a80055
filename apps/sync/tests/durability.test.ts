import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { applyCommands, originFor, snapshot } from '@cutline/timeline';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { open, type Client } from './support/clients.ts';
import { rng } from './support/random-edits.ts';
import { startSyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world, type TestUser } from './support/world.ts';

const ROUNDS = 5;
const WRITERS = 5;

forEachTransport('durability under kill -9', (variant) => {
  let db: TestDatabase;
  let users: TestUser[];

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    const w = world(db.sql);
    users = await Promise.all(Array.from({ length: WRITERS }, (_, i) => w.user(`Writer ${i}`)));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it(`[SY11] every acknowledged edit survives kill -9 of the server (${ROUNDS} rounds, ${WRITERS} writers)`, async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    console.log(`durability seed ${seed} (${variant.transport})`);
    const random = rng(seed);
    const w = world(db.sql);
    for (let round = 0; round < ROUNDS; round++) {
      const project = await w.project(users[0] as TestUser);
      for (const u of users.slice(1)) await w.member(project, u, 'editor');
      const documentName = timelineOf(project);
      const sync = await startSyncProcess({ variant, databaseUrl: db.url });
      const writers = await Promise.all(users.map((u) => open({ url: sync.url, documentName, token: u.token })));

      // The kill comes after a random number of acknowledgements: a random moment, but
      // one chosen by events rather than by a timer.
      const killAfter = 5 + Math.floor(random() * 60);
      const acknowledged = new Set<string>();
      let killed = false;
      let onAck = () => {};
      const kill = new Promise<void>((resolve) => {
        onAck = () => {
          if (!killed && acknowledged.size >= killAfter) {
            killed = true;
            void sync.crash().then(resolve);
          }
        };
      });

      const loops = writers.map(async (client: Client, i) => {
        const userId = users[i]?.id ?? '';
        const sent: string[] = [];
        // Acknowledgements arrive in order; at unsyncedChanges = 0 everything sent so far is stored.
        client.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
          if (number !== 0 || killed) return;
          for (const id of sent) acknowledged.add(id);
          onAck();
        });
        while (!killed) {
          const burst = 1 + Math.floor(random() * 4);
          for (let b = 0; b < burst && !killed; b++) {
            const [result] = applyCommands(client.doc, [{ type: 'addMarker', time: Math.round(random() * 1000) / 10 }], originFor('user', userId));
            if (result && 'markerId' in result) sent.push(result.markerId);
          }
          await Promise.race([client.acked(), kill]);
        }
      });
      await kill;
      await Promise.all(loops);
      for (const c of writers) c.destroy();
      expect(acknowledged.size).toBeGreaterThanOrEqual(killAfter);

      const restarted = await startSyncProcess({ variant, databaseUrl: db.url });
      const verifier = await open({ url: restarted.url, documentName, token: users[0]?.token ?? '' });
      const stored = new Set(snapshot(verifier.doc).markers.map((m) => m.id));
      const missing = [...acknowledged].filter((id) => !stored.has(id));
      expect(missing, `round ${round}: acknowledged edits missing after kill -9`).toEqual([]);
      verifier.destroy();
      await restarted.stop();
    }
  });
});
