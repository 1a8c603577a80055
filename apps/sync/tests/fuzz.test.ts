import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { applyCommands, checkInvariants, originFor, snapshot } from '@cutline/timeline';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { open, type Client } from './support/clients.ts';
import { fuzzFrames, type FuzzKind } from './support/fuzz-frames.ts';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';
import { rng } from './support/random-edits.ts';
import { startSyncProcess, TEST_SECRET, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world, type TestUser } from './support/world.ts';

const FRAMES = 2_000;
const MAX_FRAME_BYTES = 256 * 1024;
const emptyStateVector = Y.encodeStateVector(new Y.Doc());

forEachTransport('fuzzing', (variant) => {
  let db: TestDatabase;
  let sync: SyncProcess;
  let user: TestUser;
  let target: string;
  let bystanderProject: string;
  const clients: Client[] = [];

  const memory = async () => {
    const response = await fetch(`${sync.http}/internal/v1/memory`, { headers: { authorization: `Bearer ${TEST_SECRET}` } });
    return (await response.json()) as { heapUsed: number; rss: number; collected: boolean };
  };
  /** Asks until the server has unloaded every document (each request awaits the last; no timer). */
  const allUnloaded = async () => {
    for (;;) {
      const health = (await (await fetch(`${sync.http}/healthz`)).json()) as { documents: number };
      if (health.documents === 0) return;
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    sync = await startSyncProcess({
      variant,
      databaseUrl: db.url,
      exposeGc: true,
      env: { SYNC_MAX_MESSAGES_PER_SECOND: '1000000', SYNC_MAX_FRAME_BYTES: String(MAX_FRAME_BYTES) },
    });
    const w = world(db.sql);
    user = await w.user('Fuzzer');
    target = await w.project(user);
    bystanderProject = await w.project(user);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sync?.crash();
    await db?.drop();
  });

  it(`[SY30] ${FRAMES} hostile frames: the server stays up, other documents keep working, memory returns to baseline`, async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    console.log(`fuzz seed ${seed} (${variant.transport})`);
    const random = rng(seed);
    const documentName = timelineOf(target);

    // A real timeline to mutate, then a warm-up load/unload so the baseline is steady.
    const author = await open({ url: sync.url, documentName, token: user.token });
    const origin = originFor('user', user.id);
    const [track] = applyCommands(author.doc, [{ type: 'addTrack', kind: 'video' }], origin) as Array<{ trackId: string }>;
    for (let i = 0; i < 20; i++) applyCommands(author.doc, [{ type: 'addColorClip', trackId: track?.trackId ?? '', color: '#123456', start: i * 2, duration: 1 }], origin);
    await author.acked();
    const base = Y.encodeStateAsUpdate(author.doc);
    author.destroy();
    await allUnloaded();
    const before = await memory();
    expect(before.collected).toBe(true);

    const bystander = await open({ url: sync.url, documentName: timelineOf(bystanderProject), token: user.token });
    clients.push(bystander);
    const next = fuzzFrames({ random, documentName, base, maxFrameBytes: MAX_FRAME_BYTES });
    const counts = new Map<FuzzKind, number>();
    let socket: RawClient | undefined;
    let connections = 0;
    for (let sent = 0; sent < FRAMES; ) {
      if (!socket?.open) {
        socket?.close();
        socket = await RawClient.connect(sync.url);
        await socket.authenticate(documentName, user.token);
        connections += 1;
      }
      const { kind, frame } = next();
      await socket.send(frame);
      // A SyncStep1 after each frame: its answer (or the socket closing) proves the
      // server has dealt with the frame before the next one goes out.
      const answered = socket.next((m) => m.documentName === documentName && m.type === 0);
      await socket.send(frames.syncStep1(documentName, emptyStateVector));
      await Promise.race([answered, socket.closed]);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      sent += 1;
    }
    socket?.close();
    const metricsText = await (await fetch(`${sync.http}/metrics`)).text();
    const outcome = metricsText.split('\n').filter((l) => /^sync_(rejected_messages_total|updates_total|document_load_skipped)/.test(l));
    console.log(`fuzz (${variant.transport}): sent ${JSON.stringify(Object.fromEntries(counts))} over ${connections} connections; ${outcome.join(', ')}`);

    // Still up, and the bystander's document round-trips an edit.
    expect((await fetch(`${sync.http}/healthz`)).status).toBe(200);
    bystander.doc.getMap('probe').set('after-fuzz', true);
    await bystander.acked();
    const watcher = await open({ url: sync.url, documentName: timelineOf(bystanderProject), token: user.token });
    clients.push(watcher);
    expect(watcher.doc.getMap('probe').get('after-fuzz')).toBe(true);

    // Whatever the fuzzer got through is in the log exactly as it is in memory: the
    // target reloads from storage into the state it was served in before.
    const live = await open({ url: sync.url, documentName, token: user.token });
    const served = { json: JSON.stringify(snapshot(live.doc)), vector: Buffer.from(Y.encodeStateVector(live.doc)).toString('hex') };
    live.destroy();
    for (const c of clients) c.destroy();
    clients.length = 0;
    await allUnloaded();
    const after = await memory();
    console.log(`heap before ${Math.round(before.heapUsed / 1e6)} MB, after ${Math.round(after.heapUsed / 1e6)} MB (${variant.transport})`);
    expect(after.heapUsed).toBeLessThan(before.heapUsed + 16 * 1024 * 1024);

    const reader = await open({ url: sync.url, documentName, token: user.token });
    clients.push(reader);
    expect(JSON.stringify(snapshot(reader.doc))).toBe(served.json);
    expect(Buffer.from(Y.encodeStateVector(reader.doc)).toString('hex')).toBe(served.vector);
    expect(checkInvariants(snapshot(reader.doc))).toEqual([]);
    reader.doc.getMap('probe').set('writable', true);
    await reader.acked();
  });
});
