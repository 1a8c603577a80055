import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { open, type Client } from './support/clients.ts';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';
import { startSyncProcess, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world, type TestUser } from './support/world.ts';

const MiB = 1024 * 1024;
/** The attack of issue 12 was 450 sockets; the same shape at a size that runs in seconds. */
const ATTACK_SOCKETS = 40;
/** Edit round trips measured without, and at least as many during, the attack. */
const SAMPLES = 50;
const attackerScript = join(dirname(fileURLToPath(import.meta.url)), 'support', 'attacker.ts');

/** The server process's resident memory, from the kernel (what an operator's dashboard shows). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kib) throw new Error(`no VmRSS for ${pid}`);
  return Number(kib) * 1024;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

forEachTransport('before authentication', (variant) => {
  let db: TestDatabase;
  let sync: SyncProcess;
  let short: SyncProcess;
  let user: TestUser;
  let w: ReturnType<typeof world>;
  const clients: Client[] = [];
  const raws: RawClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    // Default limits (8 MiB frames), as in production; on ws, the per-address cap on
    // unauthenticated sockets is lifted so every attacking socket gets in, and the
    // per-socket frame cap alone must hold (uWS cannot cap a frame before buffering it).
    [sync, short] = await Promise.all([
      startSyncProcess({ variant, databaseUrl: db.url, env: variant.transport === 'node' ? { SYNC_MAX_UNAUTHENTICATED_PER_IP: '500' } : {} }),
      startSyncProcess({ variant, databaseUrl: db.url, env: { SYNC_AUTH_TIMEOUT_MS: '300' } }),
    ]);
    w = world(db.sql);
    user = await w.user('Pre-auth');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const r of raws) r.close();
    await Promise.all([sync?.crash(), short?.crash()]);
    await db?.drop();
  });

  it('[SY27] unauthenticated sockets sending 8 MiB frames cost the server little memory; other documents stay fast', async () => {
    const editor = await open({ url: sync.url, documentName: timelineOf(await w.project(user)), token: user.token });
    clients.push(editor);
    // Round trips without an attack: the warm-up, and what this (shared, loaded) machine
    // allows anyway.
    const quiet: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      editor.doc.getMap('probe').set('warm', i);
      await editor.acked();
      quiet.push(performance.now() - started);
    }
    const before = rssOf(sync.pid);

    const attacker = spawn(process.execPath, [attackerScript, sync.url, String(ATTACK_SOCKETS), String(8 * MiB)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const output = createInterface({ input: attacker.stdout });
    const ready = once(output, 'line');
    const reported = new Promise<string>((resolve, reject) => {
      output.on('line', (line) => line.startsWith('{') && resolve(line));
      attacker.once('exit', (code) => reject(new Error(`the attacker exited (${code}) without a report`)));
    });
    reported.catch(() => {});
    await ready;

    let attacking = true;
    let peak = before;
    const latencies: number[] = [];
    const editing = (async () => {
      for (let i = 0; attacking || latencies.length < SAMPLES; i++) {
        const started = performance.now();
        editor.doc.getMap('probe').set('n', i);
        await editor.acked();
        latencies.push(performance.now() - started);
        peak = Math.max(peak, rssOf(sync.pid));
      }
    })();
    attacker.stdin.write('go\n');
    const report = await reported;
    peak = Math.max(peak, rssOf(sync.pid));
    attacking = false;
    await editing;
    const outcome = JSON.parse(report) as { sent: number; refusedUpgrades: number; closed: number };
    const growth = peak - before;
    const p99 = percentile(latencies, 99);
    console.log(
      `pre-auth attack (${variant.transport}): ${ATTACK_SOCKETS} sockets × 8 MiB, RSS ${Math.round(before / MiB)} → peak ${Math.round(peak / MiB)} MiB; ` +
        `edit round trip p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${latencies.length} edits ` +
        `(without the attack p99 ${percentile(quiet, 99).toFixed(1)} ms); attacker ${report.trim()}`,
    );
    expect(outcome.sent + outcome.refusedUpgrades).toBe(ATTACK_SOCKETS);
    if (variant.transport === 'node') expect(outcome.sent).toBe(ATTACK_SOCKETS);
    expect(growth).toBeLessThan(96 * MiB);
    // 100 ms on top of what the machine itself costs without the attack (CI is loaded).
    expect(p99).toBeLessThan(100 + percentile(quiet, 99));
    expect((await fetch(`${sync.http}/healthz`)).status).toBe(200);
  });

  it('[SY27] a socket that does not authenticate within SYNC_AUTH_TIMEOUT_MS is closed', async () => {
    const idle = await RawClient.connect(short.url);
    raws.push(idle);
    await idle.send(frames.syncStep1(timelineOf(crypto.randomUUID()), Y.encodeStateVector(new Y.Doc())));
    expect(await idle.closed).toEqual({ code: 4408, reason: 'authentication-timeout' });
    // An authenticated socket is not subject to it.
    const documentName = timelineOf(await w.project(user));
    const authed = await RawClient.connect(short.url);
    raws.push(authed);
    await authed.authenticate(documentName, user.token);
    const late = await RawClient.connect(short.url);
    raws.push(late);
    // Once a socket that connected after `authed` has been closed, `authed` had as long.
    expect((await late.closed).code).toBe(4408);
    expect(authed.open).toBe(true);
  });
});
