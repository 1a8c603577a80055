import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { inject } from 'vitest';
import { createTestDatabase, freePort, type TestDatabase } from '@cutline/shared/testing';
import { migrateWorkerSchema } from '@cutline/shared/worker-schema';

const webDir = join(import.meta.dirname, '..');

export type WebServer = { url: string; db: TestDatabase; logs: string[]; stop(): Promise<void> };

/** The production build of the web app as a child process, on a fresh migrated database. */
export async function startWeb(env: NodeJS.ProcessEnv = {}): Promise<WebServer> {
  const db = await createTestDatabase({ serverUrl: inject('pgUrl') });
  await migrateWorkerSchema({ databaseUrl: db.url });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Tests that need sync pass SYNC_INTERNAL_URL; by default it points at a closed port.
  const closedPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['build/index.js'], {
    cwd: webDir,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      ORIGIN: url,
      PUBLIC_URL: url,
      BODY_SIZE_LIMIT: 'Infinity',
      SYNC_SECRET: 'test-sync-secret-0123456789-abcdefghij',
      SYNC_INTERNAL_URL: `http://127.0.0.1:${closedPort}`,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', (l) => logs.push(l));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`web exited:\n${logs.join('\n')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error(`web did not start:\n${logs.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    db,
    logs,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await db.drop();
    },
  };
}

export type Client = {
  token: string;
  userId: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } }>;
};

/** A JSON client for /api/v1 that authenticates with a bearer token. */
export function client(server: WebServer, token: string | null, userId = ''): Client {
  return {
    token: token ?? '',
    userId,
    call: async (method, path, body) => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.headers.get('content-type') === 'text/event-stream') {
        await response.body?.cancel();
        return { status: response.status, body: {} };
      }
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
  };
}

let counter = 0;

/** Signs up a new user through the API and returns a client holding their session token. */
export async function signUp(server: WebServer, name = `User ${++counter}`): Promise<Client> {
  const anonymous = client(server, null);
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}.${counter}@example.com`;
  const result = await anonymous.call('POST', '/auth/signup', { email, password: 'correct horse battery', name });
  if (result.status !== 201) throw new Error(`signup failed: ${JSON.stringify(result.body)}`);
  const user = result.body.user as { id: string };
  return client(server, String(result.body.token), user.id);
}
