/**
 * The acceptance of `npm start`, run programmatically: the stack's own code path in a
 * fresh CUTLINE_HOME on free ports, three /healthz answering, an app killed with -9 comes
 * back on its own while the others stay up, SIGTERM (first round) and Ctrl-C (SIGINT to
 * the whole process group, as a terminal sends it; second round) stop everything with
 * nothing left running, and a second start reuses the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@cutline/shared/testing';
import { createSql } from '@cutline/shared/db';
import { processAlive } from '@cutline/shared/process';

const root = join(import.meta.dirname, '..');

type Running = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function startStack(env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, ['scripts/stack.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true, // its own process group, like a terminal's foreground job
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(run: Running, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.output())) {
    if (run.child.exitCode !== null) throw new Error(`stack exited early:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Is any process of the group still running? Zombies do not count: a child that exited
 * (turbo's `git`, say) stays listed until its new parent reaps it, and the init of some
 * containers never does.
 */
function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** The stack's app processes now, by app: its children whose working directory is apps/<app>. */
function appPids(stackPid: number): Map<string, number> {
  const pids = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== stackPid || state === 'Z') continue;
      const app = /\/apps\/(\w+)$/.exec(readlinkSync(`/proc/${entry}/cwd`))?.[1];
      if (app) pids.set(app, Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function healthy(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
  return response?.status === 200;
}

describe('npm start', () => {
  const homes: string[] = [];
  afterAll(async () => {
    await Promise.all(homes.map((h) => rm(h, { recursive: true, force: true })));
  });

  it('runs the three apps on embedded PostgreSQL, brings a killed app back, stops cleanly on SIGTERM and Ctrl-C, and restarts on the same data', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cutline-smoke-'));
    await chmod(home, 0o755);
    homes.push(home);
    const ports = { PORT: await freePort(), SYNC_PORT: await freePort(), RENDER_PORT: await freePort(), PGPORT: await freePort() };
    const env = {
      CUTLINE_HOME: home,
      DATABASE_URL: '',
      PUBLIC_URL: `http://localhost:${ports.PORT}`,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    };

    for (const round of [1, 2]) {
      const run = startStack(env);
      await waitForOutput(run, new RegExp(`Open http://localhost:${ports.PORT}`), 150_000);
      for (const port of [ports.PORT, ports.SYNC_PORT, ports.RENDER_PORT]) {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ ok: true, db: true });
      }
      const pgPid = Number((await readFile(join(home, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
      expect(processAlive(pgPid)).toBe(true);

      const url = `postgres://postgres:${encodeURIComponent((await readFile(join(home, 'pg.secret'), 'utf8')).trim())}@127.0.0.1:${ports.PGPORT}/cutline`;
      const sql = createSql({ url, max: 1 });
      if (round === 1) await sql`insert into users (id, email, name) values ('smoke', 'smoke@example.com', 'Smoke')`;
      const users = await sql<{ id: string }[]>`select id from users`;
      await sql.end();
      expect(users.map((u) => u.id)).toEqual(['smoke']);

      const stackPid = run.child.pid ?? 0;
      const seen = new Set(appPids(stackPid).values());
      expect(seen.size, 'three app processes').toBe(3);
      if (round === 1) {
        // kill -9 one app, then another: each comes back by itself, the others stay up.
        const appPorts: Record<string, number> = { web: ports.PORT, sync: ports.SYNC_PORT, render: ports.RENDER_PORT };
        for (const victim of ['render', 'web']) {
          const before = appPids(stackPid);
          const pid = before.get(victim) ?? 0;
          expect(pid).toBeGreaterThan(0);
          process.kill(pid, 'SIGKILL');
          await waitForOutput(run, new RegExp(`\\[stack\\] ${victim} stopped unexpectedly \\(killed by SIGKILL\\); restarting in 0\\.5 s`), 10_000);
          await waitForOutput(run, new RegExp(`\\[stack\\] ${victim} is healthy again`), 120_000);
          const after = appPids(stackPid);
          expect(after.get(victim)).not.toBe(pid);
          for (const [app, port] of Object.entries(appPorts)) {
            expect(await healthy(port), `${app} answers /healthz after ${victim} was killed`).toBe(true);
            if (app !== victim) expect(after.get(app), `${app} kept running`).toBe(before.get(app));
          }
          for (const p of after.values()) seen.add(p);
        }
        expect(run.output()).not.toMatch(/\[stack\] stopping/);
      }

      const pgid = stackPid;
      // Round 1: SIGTERM to the stack alone (a service manager); round 2: Ctrl-C in a terminal.
      if (round === 1) process.kill(pgid, 'SIGTERM');
      else process.kill(-pgid, 'SIGINT');
      expect(await run.exited).toBe(0);
      expect(groupAlive(pgid), `processes left in the group:\n${run.output()}`).toBe(false);
      // Each app ran in its own process group (with whatever it started): all gone.
      for (const pid of seen) expect(groupAlive(pid), `app pid ${pid} or a process it started left running`).toBe(false);
      expect(processAlive(pgPid), 'PostgreSQL left running').toBe(false);
      await expect(readFile(join(home, 'pg', 'postmaster.pid'))).rejects.toThrow(/ENOENT/);
    }
  });

  it('DATABASE_URL=postgres://nope fails with one clear line and exit code 1', async () => {
    const run = startStack({ DATABASE_URL: 'postgres://nope', CUTLINE_HOME: await mkdtemp(join(tmpdir(), 'cutline-nope-')) });
    expect(await run.exited).toBe(1);
    const lines = run.output().trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^cutline: Cannot reach the database at postgres:\/\/nope: /)]);
  });

  it('a wrong port stops start-up with one line naming the variable', async () => {
    const run = startStack({ SYNC_PORT: 'abc' });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe('cutline: Invalid configuration: SYNC_PORT must be a port number (got "abc")');
  });
});
