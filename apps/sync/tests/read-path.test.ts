import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { loadSnapshot } from '@cutline/timeline';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { appendUpdates } from '../src/persistence/update-log.ts';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';
import { startSyncProcess, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world, type TestUser } from './support/world.ts';

const CLIPS = 4_000;
const ATTACKERS = 20;
const STEP1_PER_SECOND = 150;
const ATTACK_MS = 3_000;
const PROBE_EVERY_MS = 25;

/** A timeline of `n` one-second colour clips, as one update (built in memory: ~0.2 s). */
function bigTimeline(n: number): Uint8Array {
  const clip = (i: number) => ({
    id: `c${i}`, trackId: 't', kind: 'color', start: i, duration: 1, sourceIn: 0, speed: 1, volume: 1, fadeIn: 0, fadeOut: 0,
    opacity: 1, x: 0.5, y: 0.5, scale: 1, rotation: 0, assetId: null, text: null, style: null, color: '#000000',
  });
  const doc = loadSnapshot({
    version: 2,
    settings: { width: 1920, height: 1080, fps: { num: 30, den: 1 }, background: '#000000', sampleRate: 48000 },
    duration: n,
    tracks: [{ id: 't', kind: 'video', name: 'V', muted: false, hidden: false, locked: false }],
    clips: Array.from({ length: n }, (_, i) => clip(i)),
    transitions: [],
    markers: [],
    assets: [],
  });
  return Y.encodeStateAsUpdate(doc);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

forEachTransport('read path', (variant) => {
  let db: TestDatabase;
  let sync: SyncProcess;
  let owner: TestUser;
  let viewer: TestUser;
  let w: ReturnType<typeof world>;
  const raws: RawClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    // The attackers stand for 20 people with a share link; on loopback they share one
    // address, which SY27 would otherwise hold to 8 sockets waiting for authentication.
    sync = await startSyncProcess({ variant, databaseUrl: db.url, env: { SYNC_MAX_UNAUTHENTICATED_PER_IP: '64' } });
    w = world(db.sql);
    owner = await w.user('Owner');
    viewer = await w.user('Viewer with a share link');
  });
  afterAll(async () => {
    for (const r of raws) r.close();
    await sync?.crash();
    await db?.drop();
  });

  it(`[SY29] ${ATTACKERS} viewers sending ${STEP1_PER_SECOND} SyncStep1/s on a ${CLIPS}-clip timeline are shed; an editor elsewhere keeps p99 < 100 ms`, async () => {
    const bigProject = await w.project(owner);
    await w.member(bigProject, viewer, 'viewer');
    const big = timelineOf(bigProject);
    await appendUpdates(db.sql, [{ documentName: big, update: bigTimeline(CLIPS), origin: { source: 'migration' } }]);
    const small = timelineOf(await w.project(owner));

    const attackers = await Promise.all(Array.from({ length: ATTACKERS }, () => RawClient.connect(sync.url)));
    raws.push(...attackers);
    await Promise.all(attackers.map((a) => a.authenticate(big, viewer.token)));
    // Loading the 4,000-clip timeline is a one-off cost of its first reader, not of the
    // attack: an honest viewer syncs once first.
    const honest = await RawClient.connect(sync.url);
    raws.push(honest);
    await honest.authenticate(big, viewer.token);
    const loaded = honest.next((m) => m.documentName === big && m.type === 0 && decoding.peekVarUint(m.body) === 1);
    await honest.send(frames.syncStep1(big, Y.encodeStateVector(new Y.Doc())));
    await loaded;
    const [editor, peer] = await Promise.all([RawClient.connect(sync.url), RawClient.connect(sync.url)]);
    raws.push(editor, peer);
    await Promise.all([editor.authenticate(small, owner.token), peer.authenticate(small, owner.token)]);

    // The editor's probes: each a small update; latency = until the peer receives it.
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let sendingDone = false;
    let allArrived = () => {};
    const arrived = new Promise<void>((resolve) => (allArrived = resolve));
    peer.ws.on('message', (data: Buffer) => {
      const now = performance.now();
      for (const match of data.toString('latin1').matchAll(/~probe(\d+)~/g)) {
        const at = sentAt.get(match[1] ?? '');
        if (at !== undefined) latencies.push(now - at);
        sentAt.delete(match[1] ?? '');
      }
      if (sendingDone && sentAt.size === 0) allArrived();
    });
    const editorDoc = new Y.Doc();
    const probes: Uint8Array[] = [];
    editorDoc.on('update', (update: Uint8Array) => probes.push(frames.update(small, update)));
    // Warm-up, untimed: the small timeline loads (and is initialised) on first use.
    const warm = peer.next((m) => new TextDecoder('latin1').decode(m.bytes).includes('~warm~'));
    editorDoc.getMap('probe').set('~warm~', true);
    const warmFrame = probes.shift();
    if (warmFrame) await editor.send(warmFrame);
    await warm;
    const probeCount = Math.floor(ATTACK_MS / PROBE_EVERY_MS);
    for (let i = 0; i < probeCount; i++) editorDoc.getMap('probe').set(`~probe${i}~`, i);


    const emptyStateVector = Y.encodeStateVector(new Y.Doc());
    const step1 = frames.syncStep1(big, emptyStateVector);
    const closes = attackers.map((a) => a.closed);
    // Attackers do not read what they asked for (and the answers they would read would
    // load this test process, not the server): their sockets are paused until the end.
    for (const a of attackers) a.ws.pause();
    const started = performance.now();
    // Attack: every 20 ms each viewer sends its share of 150 SyncStep1 per second.
    const perTick = (STEP1_PER_SECOND * 20) / 1000;
    const attack = setInterval(() => {

      for (const a of attackers) for (let i = 0; i < perTick; i++) if (a.open) a.ws.send(step1);
    }, 20);
    let n = 0;
    const probe = setInterval(() => {
      const frame = probes[n];
      if (!frame) return;
      sentAt.set(String(n), performance.now());
      editor.ws.send(frame);
      n += 1;
    }, PROBE_EVERY_MS);
    await new Promise((r) => setTimeout(r, ATTACK_MS));
    clearInterval(attack);
    clearInterval(probe);
    // Every probe arrives (a late one counts at its real latency).
    sendingDone = true;
    if (sentAt.size === 0) allArrived();
    await arrived;
    const elapsed = performance.now() - started;

    const metrics = await (await fetch(`${sync.http}/metrics`)).text();
    latencies.sort((a, b) => a - b);
    console.log(`read path [${variant.transport}]: ${latencies.length} probes in ${Math.round(elapsed)} ms, p50 ${percentile(latencies, 50).toFixed(1)} p99 ${percentile(latencies, 99).toFixed(1)} max ${latencies.at(-1)?.toFixed(1)} ms`);
    expect(latencies.length).toBe(n);
    expect(percentile(latencies, 99)).toBeLessThan(100);
    // Shed with a close code that names the reason (SPEC.md SY29).
    for (const a of attackers) a.ws.resume();
    const outcomes = await Promise.all(closes);
    expect(outcomes.map((c) => c.code)).toEqual(Array.from({ length: ATTACKERS }, () => 4431));
    expect(metrics).toMatch(/sync_state_answers_total\{cached="true"\} [1-9]/);
  });
});
