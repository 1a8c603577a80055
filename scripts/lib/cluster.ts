/**
 * The pieces of a multi-node deployment that are not ours, run for real on loopback (the
 * load-balancer tests in apps/sync/tests/balancer.test.ts and `npm run bench:collab`):
 * HAProxy in front of sync nodes (Debian's `haproxy`, in the foreground as a child
 * process, its config generated into a temp dir — the shape of deploy/haproxy.cfg), and
 * a private redis-server that may be killed and restarted (never the machine's shared one).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '@cutline/shared/testing';

const live = new Set<ChildProcess>();

/** kill -9 of every process started here that still runs (a test's afterAll, a crash). */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}
process.once('exit', killAll);

/** The path of a command on PATH (or in /usr/sbin, where Debian puts haproxy), or null. */
export function findCommand(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (!dir) continue;
    const path = join(dir, name);
    if (spawnSync(path, ['-v'], { encoding: 'utf8' }).status === 0) return path;
  }
  return null;
}

type Lines = { output(): string; waitFor(pattern: RegExp, what: string, timeoutMs?: number): Promise<string> };

/** Collects a child's output and resolves waits on the line that matches (no polling). */
function watchLines(child: ChildProcess, name: string): Lines {
  let output = '';
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      output += `${line}\n`;
      for (const waiter of waiters) {
        if (waiter.pattern.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    });
  }
  return {
    output: () => output,
    waitFor: (pattern, what, timeoutMs = 30_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${name}: timed out waiting for ${what}:\n${output.slice(-3000)}`));
        }, timeoutMs);
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.add(waiter);
        child.once('exit', (code, signal) => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`${name} exited (${signal ?? code}) while waiting for ${what}:\n${output.slice(-3000)}`));
        });
      }),
  };
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export type RedisServer = {
  readonly url: string;
  /** kill -9, then a fresh empty server on the same port (what a Redis failover looks like to a client). */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

/** A private, empty, non-persistent redis-server on a free loopback port. */
export async function startRedis(): Promise<RedisServer> {
  const command = findCommand('redis-server');
  if (!command) throw new Error('redis-server is not installed');
  const port = await freePort();
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(command, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice'], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    child.once('exit', () => live.delete(child));
    await watchLines(child, 'redis-server').waitFor(/Ready to accept connections/, 'redis-server to listen');
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      child.kill('SIGKILL');
      await exitOf(child);
      await launch();
    },
    stop: async () => {
      child.kill('SIGKILL');
      await exitOf(child);
    },
  };
}

export type BalancerNode = { name: string; port: number };

/**
 * HAProxy's configuration for sync nodes: WebSocket-aware (an upgraded connection is a
 * tunnel, held for `timeout tunnel`), health checks on each node's /healthz (a draining
 * node answers 503 and gets no new connections), least-connections balancing, and a
 * refused connection retried on another node (`option redispatch`).
 */
export function haproxyConfig({ port, nodes, checkIntervalMs = 500 }: { port: number; nodes: BalancerNode[]; checkIntervalMs?: number }): string {
  return [
    'global',
    '  log stdout format raw local0 notice',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  log global',
    '  option dontlognull',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout tunnel 1h',
    '  timeout client-fin 5s',
    '  retries 3',
    '  option redispatch 1',
    'frontend sync',
    `  bind 127.0.0.1:${port}`,
    '  default_backend sync_nodes',
    'backend sync_nodes',
    '  balance leastconn',
    // HTTP/1.1 with a Host: uWebSockets.js leaves HAProxy's default HTTP/1.0 check unanswered.
    '  option httpchk',
    '  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host sync',
    '  http-check expect status 200',
    '  timeout check 2s',
    `  default-server inter ${checkIntervalMs} fastinter ${checkIntervalMs} downinter ${checkIntervalMs} fall 2 rise 2`,
    ...nodes.map((node) => `  server ${node.name} 127.0.0.1:${node.port} check`),
    '',
  ].join('\n');
}

export type Balancer = {
  /** ws://127.0.0.1:<port> */
  readonly url: string;
  readonly http: string;
  output(): string;
  /** Resolves once HAProxy's health checks have the node down (`up: false`) or up (at once if they already do). */
  marked(node: string, up: boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

/** HAProxy in the foreground in front of `nodes`; resolves once it answers through to a node's /healthz. */
export async function startBalancer({ command, nodes }: { command: string; nodes: BalancerNode[] }): Promise<Balancer> {
  const dir = await mkdtemp(join(tmpdir(), 'cutline-haproxy-'));
  const port = await freePort();
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, haproxyConfig({ port, nodes }));
  // -db: foreground, no daemon; -W off: a single process, so kill reaches it all.
  const child = spawn(command, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const lines = watchLines(child, 'haproxy');
  const stop = async () => {
    child.kill('SIGKILL');
    await exitOf(child);
    await rm(dir, { recursive: true, force: true });
  };
  const http = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    // Readiness of an external process: it exposes no event, so its port is probed.
    const response = await fetch(`${http}/healthz`).catch(() => null);
    if (response?.ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`haproxy did not start:\n${lines.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // HAProxy's view of each node, from its log: it starts every server as up.
  const state = new Map(nodes.map((node) => [node.name, true]));
  const changed = new Set<() => void>();
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const match = /Server sync_nodes\/(\S+) is (UP|DOWN)/.exec(line);
    if (!match) return;
    state.set(match[1] ?? '', match[2] === 'UP');
    for (const listener of changed) listener();
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    http,
    output: lines.output,
    marked: (node, up, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (state.get(node) !== up) return;
          changed.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          changed.delete(check);
          reject(new Error(`haproxy: ${node} was not marked ${up ? 'UP' : 'DOWN'} within ${timeoutMs / 1000} s:\n${lines.output().slice(-3000)}`));
        }, timeoutMs);
        changed.add(check);
        check();
      }),
    stop,
  };
}
