import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { freePort } from '@cutline/shared/testing';
import type { SyncVariant } from '../global-setup.ts';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop';

// Every server a test file starts dies with it, even when a test fails half way.
const live = new Set<ChildProcess>();
afterAll(() => {
  for (const child of live) child.kill('SIGKILL');
});
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export type SyncProcess = {
  readonly transport: 'node' | 'uws';
  readonly pid: number;
  readonly port: number;
  /** ws://127.0.0.1:<port> */
  readonly url: string;
  /** http://127.0.0.1:<port> */
  readonly http: string;
  /** Resolves when the process exits, with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote so far. */
  output(): string;
  /** kill -9. */
  crash(): Promise<void>;
  /** SIGTERM, then waits for the exit (graceful shutdown). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export type StartOptions = {
  variant: SyncVariant;
  databaseUrl: string;
  env?: Record<string, string>;
  /** Start Node with --expose-gc so GET /internal/v1/memory can collect (fuzz test). */
  exposeGc?: boolean;
  port?: number;
};

/**
 * A real sync server in a child process (the same binary `npm start` runs, or the Node 20
 * bundle for uWS). Resolves once it logs that it listens — no polling.
 */
export async function startSyncProcess({ variant, databaseUrl, env = {}, exposeGc = false, port }: StartOptions): Promise<SyncProcess> {
  if (variant.skip) throw new Error(`transport ${variant.transport} is unavailable: ${variant.skip}`);
  const chosenPort = port ?? (await freePort());
  const child: ChildProcess = spawn(variant.command, [...(exposeGc ? ['--expose-gc'] : []), ...variant.args], {
    cwd: appDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SYNC_PORT: String(chosenPort),
      SYNC_TRANSPORT: variant.transport,
      SYNC_SECRET: TEST_SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  live.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolveExit({ code, signal });
    });
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const ready = new Promise<number>((resolveReady, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      output += `${line}\n`;
      if (!line.includes('sync listening on')) return;
      try {
        const entry = JSON.parse(line) as { port?: number; transport?: string };
        if (entry.transport !== variant.transport) reject(new Error(`asked for ${variant.transport}, the server runs ${entry.transport}`));
        else resolveReady(entry.port ?? chosenPort);
      } catch (error) {
        reject(error);
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`sync exited before listening (${signal ?? code}):\n${output.slice(-3000)}`)));
  });
  const listening = await ready;
  const pid = child.pid ?? 0;
  return {
    transport: variant.transport,
    pid,
    port: listening,
    url: `ws://127.0.0.1:${listening}`,
    http: `http://127.0.0.1:${listening}`,
    exited,
    output: () => output,
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
