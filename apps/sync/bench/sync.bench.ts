/**
 * `npm run bench -w @cutline/sync` (root: `npm run bench:sync`). Loopback only, bounded
 * in time (about a minute per transport).
 *
 * Per transport that loads here (ws always; uWebSockets.js where a Node with its native
 * build exists — the system Node 20 on Debian 12):
 *  1. 50 clients on one timeline, each sending a small Yjs update 4 times a second, the
 *     server appending every update to PostgreSQL before relaying it (fsync on: the
 *     embedded PostgreSQL runs with the settings `npm start` uses, not the tests' ones).
 *     Edit-to-remote latency = time from a client sending an update to another client
 *     receiving it; p50/p99 over every delivery.
 *  2. Throughput: the same 50 clients as fast as acknowledgements let them (each keeps
 *     4 updates in flight) for a few seconds — updatesPerSec is acknowledged, i.e.
 *     stored, updates per second, every one also relayed to the 49 others.
 *  3. The very same frames through a bare WebSocket relay on the same transport library
 *     (bench/relay.mjs): the baseline. ratioP99 = p99 / baseline p99 (target ≤ 2).
 *  4. 5,000 idle connections, each authenticated to the document: resident memory per
 *     1,000 connections.
 * Ends with one `RESULT {…}` line per transport, the best one last.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { createProject, createSession, createUser } from '@cutline/shared/auth';
import { createSql, migrate } from '@cutline/shared/db';
import { startEmbeddedPostgres } from '@cutline/shared/embedded';
import { freePort } from '@cutline/shared/testing';
import { bundleForNode20 } from '../scripts/bundle.ts';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = 50;
const EDITS_PER_SECOND = 4;
const WARMUP_MS = 1_500;
/** Sync and relay take turns, so a slow spell on this shared machine hits both alike. */
const WINDOWS = 5;
const WINDOW_MS = 2_000;
const IDLE_CONNECTIONS = 5_000;
const SATURATION_MS = 3_000;
const IN_FLIGHT = 4;
const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

type Variant = { transport: 'node' | 'uws'; node: string; args: string[] };
type Result = {
  transport: string;
  /** SYNC_RELAY of the sync server: `stored` (the default) relays only what is in the log. */
  relay: string;
  clients: number;
  p50Ms: number;
  p99Ms: number;
  updatesPerSec: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  ratioP99: number;
  idleConnections: number;
  rssMbPer1kConn: number;
};

function say(line: string): void {
  console.log(`[bench] ${line}`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Native uWS: the first Node here whose ABI has a binary (never the JS fallback). */
async function variants(): Promise<Variant[]> {
  const list: Variant[] = [{ transport: 'node', node: process.execPath, args: [join(appDir, 'src', 'main.ts')] }];
  const seen = new Set<string>();
  for (const node of [process.env.SYNC_UWS_NODE, '/usr/bin/node', '/usr/local/bin/node', process.execPath]) {
    if (!node || !existsSync(node) || seen.has(realpathSync(node))) continue;
    seen.add(realpathSync(node));
    const probe = spawnSync(
      node,
      ['-e', "const p=require('path');require(p.join(p.dirname(require.resolve('uWebSockets.js/package.json')),'binaries','uws_'+process.platform+'_'+process.arch+'_'+process.versions.modules+'.node'))"],
      { cwd: appDir, timeout: 20_000 },
    );
    if (probe.status === 0) {
      list.push({ transport: 'uws', node, args: [await bundleForNode20()] });
      return list;
    }
  }
  say('uWebSockets.js: no Node here loads its native build; benchmarking ws only');
  return list;
}

/** Starts a child and resolves once it prints a line matching `ready`. */
function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(command, args, { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      output += `${line}\n`;
      if (ready.test(line)) resolveStart(child);
    });
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before it was ready:\n${output.slice(-2000)}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Pre-built frames: sender i's n-th edit, one map key each, valid Yjs updates from the sender's own doc. */
function buildFrames(documentName: string, count: number): Uint8Array[][] {
  return Array.from({ length: CLIENTS }, (_, sender) => {
    const doc = new Y.Doc();
    const out: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => out.push(frames.update(documentName, update)));
    for (let n = 0; n < count; n++) doc.getMap('bench').set(`~e${sender}.${n}~`, 'x'.repeat(40));
    return out;
  });
}

const KEY = /~e(\d+)\.(\d+)~/g;

/**
 * 50 clients on one server, each sending its next pre-built frame every 1/4 s (spread
 * evenly), every client recording when it sees another client's edit. `run` drives one
 * window; the frame sequence carries on across windows (a sender's updates build on its
 * previous ones).
 */
class Load {
  private readonly clients: RawClient[];
  private readonly senderFrames: Uint8Array[][];
  private readonly next: number[];
  private readonly sentAt = new Map<string, number>();
  readonly latencies: number[] = [];
  private readonly delivered = new Set<string>();
  measuredMs = 0;

  constructor(clients: RawClient[], senderFrames: Uint8Array[][]) {
    this.clients = clients;
    this.senderFrames = senderFrames;
    this.next = clients.map(() => 0);
    clients.forEach((client, me) => {
      client.ws.on('message', (data: Buffer) => {
        const now = performance.now();
        for (const match of data.toString('latin1').matchAll(KEY)) {
          if (Number(match[1]) === me) continue;
          const key = `${match[1]}.${match[2]}`;
          const at = this.sentAt.get(key);
          if (at === undefined) continue;
          this.latencies.push(now - at);
          this.delivered.add(key);
        }
      });
    });
  }

  /** Sends for `ms`; deliveries of edits sent in the window count only when `record`. */
  async run(ms: number, record: boolean): Promise<void> {
    const interval = 1000 / EDITS_PER_SECOND;
    const timers = this.clients.map((client, sender) => {
      const tick = () => {
        const n = this.next[sender] ?? 0;
        const frame = this.senderFrames[sender]?.[n];
        if (frame) {
          if (record) this.sentAt.set(`${sender}.${n}`, performance.now());
          client.ws.send(frame);
          this.next[sender] = n + 1;
        }
        timers[sender] = setTimeout(tick, interval);
      };
      return setTimeout(tick, (sender * interval) / CLIENTS);
    });
    await new Promise((r) => setTimeout(r, ms));
    for (const t of timers) clearTimeout(t);
    // Let the last edits of the window arrive before the other system's window starts.
    await new Promise((r) => setTimeout(r, 100));
    if (record) this.measuredMs += ms;
  }

  get relayed(): number {
    return this.delivered.size;
  }

  /** Per sender, the index of the next frame it would send. */
  get sent(): number[] {
    return [...this.next];
  }
}

/**
 * Closed loop: every client keeps IN_FLIGHT updates unacknowledged and sends the next one
 * as each SyncStatus arrives. Returns acknowledged updates per second.
 */
async function saturate(clients: RawClient[], senderFrames: Uint8Array[][], from: number[]): Promise<number> {
  let acked = 0;
  let running = true;
  const next = [...from];
  const send = (client: RawClient, sender: number) => {
    const frame = senderFrames[sender]?.[next[sender] ?? 0];
    if (!frame || !running) return;
    next[sender] = (next[sender] ?? 0) + 1;
    client.ws.send(frame);
  };
  const listeners = clients.map((client, sender) => {
    const onMessage = (data: Buffer) => {
      // address (varString, < 128 bytes here), then the type: 8 = SyncStatus
      if (data[1 + (data[0] ?? 0)] !== 8 || !running) return;
      acked += 1;
      send(client, sender);
    };
    client.ws.on('message', onMessage);
    return () => client.ws.off('message', onMessage);
  });
  const started = performance.now();
  clients.forEach((client, sender) => {
    for (let i = 0; i < IN_FLIGHT; i++) send(client, sender);
  });
  await new Promise((r) => setTimeout(r, SATURATION_MS));
  running = false;
  const seconds = (performance.now() - started) / 1000;
  for (const off of listeners) off();
  return acked / seconds;
}

async function connectAll(url: string, count: number, documentName?: string, token?: string): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  for (let i = 0; i < count; i += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, count - i) }, async () => {
        const client = await RawClient.connect(url);
        if (documentName && token) await client.authenticate(documentName, token);
        return client;
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

/** Resident memory of the sync process right after a full GC (it runs with --expose-gc here). */
async function rss(http: string): Promise<number> {
  const response = await fetch(`${http}/internal/v1/memory`, { headers: { authorization: `Bearer ${SECRET}` } });
  return ((await response.json()) as { rss: number }).rss;
}

async function benchTransport(variant: Variant, databaseUrl: string, documentName: string, token: string): Promise<Result> {
  const latencyFrames = Math.ceil(((WARMUP_MS + WINDOWS * WINDOW_MS) / 1000) * EDITS_PER_SECOND) + 8;
  const total = latencyFrames + 1_500;
  const senderFrames = buildFrames(documentName, total);

  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    SYNC_PORT: String(port),
    SYNC_TRANSPORT: variant.transport,
    SYNC_SECRET: SECRET,
    SYNC_MAX_CONNECTIONS_PER_IP: String(IDLE_CONNECTIONS + CLIENTS + 100),
    // The bench's clients stand for many people but share loopback's address (SY27).
    SYNC_MAX_UNAUTHENTICATED_PER_IP: String(IDLE_CONNECTIONS + CLIENTS + 100),
    // SYNC_RELAY=immediate npm run bench:sync measures relay-now (SPEC.md SY10).
    SYNC_RELAY: process.env.SYNC_RELAY ?? 'stored',
  };
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the sync process there.
  const flags = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  if (process.env.BENCH_NODE_FLAGS) flags.push(...process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean));
  const sync = await startChild(variant.node, ['--expose-gc', ...flags, ...variant.args], env, /sync listening on/);
  const http = `http://127.0.0.1:${port}`;
  const relayPort = await freePort();
  const relay = await startChild(variant.node, [join(appDir, 'bench', 'relay.mjs'), variant.transport === 'uws' ? 'uws' : 'ws', String(relayPort)], env, /relay listening/);
  try {
    say(`${variant.transport}: ${IDLE_CONNECTIONS} idle authenticated connections`);
    // First, on a fresh process with the document loaded, so the other phases' garbage is not counted.
    const opener = await connectAll(`ws://127.0.0.1:${port}`, 1, documentName, token);
    const before = await rss(http);
    const idle = await connectAll(`ws://127.0.0.1:${port}`, IDLE_CONNECTIONS, documentName, token);
    const after = await rss(http);
    for (const c of [...idle, ...opener]) c.close();
    // Let the server finish closing them before anything is timed.
    while (((await (await fetch(`${http}/healthz`)).json()) as { connections: number }).connections > 0) await new Promise((r) => setTimeout(r, 50));
    say(`${variant.transport}: ${CLIENTS} clients × ${EDITS_PER_SECOND} edits/s on one document, every update persisted; the same frames through a bare ${variant.transport === 'uws' ? 'uWebSockets.js' : 'ws'} relay, in turns`);
    const syncClients = await connectAll(`ws://127.0.0.1:${port}`, CLIENTS, documentName, token);
    const relayClients = await connectAll(`ws://127.0.0.1:${relayPort}`, CLIENTS);
    const syncRun = new Load(syncClients, senderFrames);
    const baseline = new Load(relayClients, senderFrames);
    await syncRun.run(WARMUP_MS, false);
    await baseline.run(WARMUP_MS, false);
    for (let w = 0; w < WINDOWS; w++) {
      await syncRun.run(WINDOW_MS, true);
      await baseline.run(WINDOW_MS, true);
    }
    for (const c of relayClients) c.close();
    say(`${variant.transport}: throughput, ${CLIENTS} clients with ${IN_FLIGHT} updates in flight each`);
    const updatesPerSec = await saturate(syncClients, senderFrames, syncRun.sent);
    for (const c of syncClients) c.close();
    syncRun.latencies.sort((a, b) => a - b);
    baseline.latencies.sort((a, b) => a - b);
    const metrics = await (await fetch(`${http}/metrics`)).text();
    const persistSum = Number(/^sync_persist_seconds_sum (\S+)/m.exec(metrics)?.[1]);
    const persistCount = Number(/^sync_persist_seconds_count (\S+)/m.exec(metrics)?.[1]);
    const updates = Number(/^sync_updates_total (\S+)/m.exec(metrics)?.[1]);
    const loop = (q: string) => round(Number(new RegExp(`^nodejs_eventloop_delay_seconds\\{quantile="${q}"\\} (\\S+)`, 'm').exec(metrics)?.[1]) * 1000);
    say(`${variant.transport}: ${updates} updates stored in ${persistCount} commits, ${round((persistSum / persistCount) * 1000)} ms per commit on average; server event-loop delay p50 ${loop('0.5')} p99 ${loop('0.99')} max ${loop('1')} ms`);
    for (const [name, run] of [['sync', syncRun], ['relay', baseline]] as const) {
      const l = run.latencies;
      say(`${variant.transport} ${name}: p50 ${round(percentile(l, 50))} p90 ${round(percentile(l, 90))} p99 ${round(percentile(l, 99))} p99.9 ${round(percentile(l, 99.9))} max ${round(l[l.length - 1] ?? Number.NaN)} ms over ${l.length} deliveries`);
    }


    const p99 = percentile(syncRun.latencies, 99);
    const baselineP99 = percentile(baseline.latencies, 99);
    return {
      transport: variant.transport,
      relay: env.SYNC_RELAY,
      clients: CLIENTS,
      p50Ms: round(percentile(syncRun.latencies, 50)),
      p99Ms: round(p99),
      updatesPerSec: round(updatesPerSec, 0),
      baselineP50Ms: round(percentile(baseline.latencies, 50)),
      baselineP99Ms: round(baselineP99),
      ratioP99: round(p99 / baselineP99),
      idleConnections: idle.length,
      rssMbPer1kConn: round((after - before) / 1024 / 1024 / (idle.length / 1000)),
    };
  } finally {
    await Promise.all([stopChild(sync), stopChild(relay)]);
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cutline-bench-pg-'));
  // As root the server runs as `postgres`, which must be able to enter the temp dir.
  await chmod(dir, 0o755);
  // Durable settings (fsync on), as `npm start` runs PostgreSQL: persistence is part of the cost.
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort(), database: 'bench' });
  const sql = createSql({ url: pg.url, max: 4, app: 'cutline-bench' });
  const results: Result[] = [];
  try {
    await migrate({ sql });
    const user = await createUser({ sql, email: 'bench@example.com', name: 'Bench', password: null });
    const { token } = await createSession({ sql, userId: user.id });
    for (const variant of await variants()) {
      const project = await createProject({ sql, ownerId: user.id, name: `bench ${variant.transport}` });
      const result = await benchTransport(variant, pg.url, `project/${project.id}/timeline`, token);
      say(`${variant.transport}: ${JSON.stringify(result)}`);
      results.push(result);
    }
  } finally {
    await sql.end();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
  // Best (lowest p99) last: the transport `auto` should pick on a machine where both load.
  results.sort((a, b) => b.p99Ms - a.p99Ms);
  for (const r of results) console.log(`RESULT ${JSON.stringify(r)}`);
}

await main();
