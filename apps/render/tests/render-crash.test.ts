/**
 * Orphans (issue 12): a worker killed alone (kill -9 of its pid, not of its group, as an
 * OOM killer or a supervisor does) takes its FFmpeg with it, and the next worker on the
 * machine removes the temp files it left.
 *
 * Crash (issue 6): two render worker processes; the one rendering is killed with SIGKILL
 * (with its FFmpeg: the whole process group, as when a machine dies). Its job is released
 * when its heartbeat stops — not after Graphile's 4-hour lock — and the other worker
 * renders it again: one succeeded render, exactly one output file, within 60 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRender } from '@cutline/shared/renders';
import { createRenderEnv, type RenderEnv } from './support/render-env.ts';
import { numberedVideo, probeStreams } from './support/render-media.ts';
import { timeline } from './support/render-timeline.ts';
import { waitUntil } from './support/wait.ts';

const WORKER = fileURLToPath(new URL('./support/render-worker.ts', import.meta.url));

/** Pid, parent pid, state and start time of every process, from /proc. */
async function processTable(): Promise<{ pid: number; ppid: number; state: string; start: string }[]> {
  const rows = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!text) continue;
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    rows.push({ pid: Number(entry), ppid: Number(fields[1]), state: fields[0] ?? '', start: fields[19] ?? '' });
  }
  return rows;
}

/** The processes started (directly or not) by `pid`, as `pid:start` ids. */
async function descendants(pid: number): Promise<string[]> {
  const table = await processTable();
  const found: string[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const row of table) {
      if (row.ppid !== parent || row.state === 'Z') continue;
      found.push(`${row.pid}:${row.start}`);
      queue.push(row.pid);
    }
  }
  return found;
}

/** Of `ids` (`pid:start`), the processes still running (a zombie has ended). */
async function stillRunning(ids: string[]): Promise<string[]> {
  const live = new Set((await processTable()).filter((row) => row.state !== 'Z').map((row) => `${row.pid}:${row.start}`));
  return ids.filter((id) => live.has(id));
}

function startWorkerProcess(env: RenderEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER], {
    // Its own process group, so the test can kill it together with its FFmpeg.
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: env.db.url,
      STORAGE_DIR: env.storageDir,
      RENDER_CONCURRENCY: '1',
      RENDER_TEST_WORKDIR: env.dir,
      RENDER_TEST_OPTIONS: JSON.stringify({ threads: 1, minChunkedSeconds: 1000, heartbeat: { intervalMs: 1000, staleMs: 4000, sweepMs: 1000 } }),
    },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('a worker killed mid-render', () => {
  let env: RenderEnv;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    env = await createRenderEnv();
    children.push(await startWorkerProcess(env), await startWorkerProcess(env));
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
      await exited(child);
    }
    await env.close();
  });

  it('is replaced by another worker that finishes the render, with exactly one output', async () => {
    const path = await numberedVideo({ binaries: env.binaries, dir: env.dir, name: 'crash.mp4', rate: '30', frames: 300 });
    await env.addAsset('crash', path, { kind: 'video', width: 320, height: 240, durationUs: 10_000_000 });
    const t = timeline({ width: 320, height: 240, fps: { num: 30, den: 1 } });
    const track = t.track('video');
    t.asset('crash', { kind: 'video', duration: 10, width: 320, height: 240, fps: { num: 30, den: 1 }, hasAudio: false });
    t.clip(track, 'crash', 0, 10);
    const render = await env.request(t.snap(), 'mp4-1080p');

    await env.event(render.id, (e) => e.state === 'running' && e.progress > 0);
    const [holder] = await env.db.sql<{ pid: number }[]>`
      select w.pid from graphile_worker.jobs j join render_workers w on w.worker_id = j.locked_by where j.key = ${`render:${render.id}`}`;
    const victim = children.find((c) => c.pid === holder?.pid);
    expect(victim).toBeDefined();
    const killedAt = Date.now();
    process.kill(-(victim?.pid as number), 'SIGKILL');
    await exited(victim as ChildProcess);

    const done = await env.settled(render.id);
    const took = Date.now() - killedAt;
    expect(done.state, done.error ?? '').toBe('succeeded');
    // The acceptance bound of issue 6; in practice staleMs + a sweep (about 5 s here).
    expect(took).toBeLessThan(60_000);
    expect(await readdir(join(env.storageDir, 'renders', render.id))).toEqual(['output.mp4']);
    const facts = await probeStreams(env.binaries, join(env.storageDir, 'renders', render.id, 'output.mp4'));
    expect(facts.video?.frames).toBe(300);
    const survivors = await env.db.sql<{ pid: number }[]>`select pid from render_workers`;
    expect(survivors.map((r) => r.pid)).not.toContain(victim?.pid);
  }, 120_000);
});

describe.runIf(process.platform === 'linux')('a worker killed alone with kill -9', () => {
  let env: RenderEnv;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    env = await createRenderEnv();
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
      await exited(child);
    }
    await env.close();
  });

  it('takes its FFmpeg with it, and the next worker removes the temp files it left', async () => {
    const path = await numberedVideo({ binaries: env.binaries, dir: env.dir, name: 'orphan.mp4', rate: '30', frames: 600 });
    await env.addAsset('orphan', path, { kind: 'video', width: 320, height: 240, durationUs: 20_000_000 });
    const t = timeline({ width: 320, height: 240, fps: { num: 30, den: 1 } });
    const track = t.track('video');
    t.asset('orphan', { kind: 'video', duration: 20, width: 320, height: 240, fps: { num: 30, den: 1 }, hasAudio: false });
    t.clip(track, 'orphan', 0, 20);
    const victim = await startWorkerProcess(env);
    children.push(victim);
    const render = await env.request(t.snap(), 'mp4-1080p');
    await env.event(render.id, (e) => e.state === 'running' && e.progress > 0);

    const started = await descendants(victim.pid as number);
    expect(started.length).toBeGreaterThan(0); // FFmpeg (and its watchdog)
    const isLeftover = (name: string) => name.startsWith(`cutline-render-${victim.pid}-`);
    const left = (await readdir(env.dir)).filter(isLeftover);

    process.kill(victim.pid as number, 'SIGKILL');
    await exited(victim);
    // Promptly: the watchdog reacts to the closed pipe at once; 5 s covers a loaded machine.
    await waitUntil(async () => (await stillRunning(started)).length === 0, { timeoutMs: 5000 }).catch(() => {});
    expect(await stillRunning(started)).toEqual([]);
    expect(left).toHaveLength(1); // the job's temp dir, named after its worker…
    expect((await readdir(env.dir)).filter(isLeftover)).toEqual(left); // …which nothing removed yet

    // A new worker on the same machine (and temp dir) cleans up before it takes jobs.
    children.push(await startWorkerProcess(env));
    expect((await readdir(env.dir)).filter(isLeftover)).toEqual([]);
    await cancelRender({ sql: env.db.sql, renderId: render.id });
  }, 120_000);
});
