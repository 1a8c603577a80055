/**
 * The real stack for browser tests, the way `npm start` runs it (scripts/stack.ts):
 * embedded PostgreSQL on a free port in a temporary CUTLINE_HOME, migrations, then sync,
 * render and the production web build as child processes. One per test run (vitest
 * globalSetup); stopped like Ctrl-C stops `npm start`; the home is removed afterwards.
 *
 * The web app runs from a private copy of `apps/web/build` (in the temp dir, with a
 * node_modules link to the checkout's): other builds of the same checkout (tests,
 * `npm start`) rewrite that directory, which would pull the page's scripts away from
 * under a running browser test.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '@cutline/shared/config';
import { freePort } from '@cutline/shared/testing';
import { prepareDatabase } from '../../../../scripts/lib/database.ts';
import { startApp, stopChild, waitHealthy, type App } from '../../../../scripts/lib/processes.ts';

const root = join(import.meta.dirname, '../../../..');
const webDir = join(root, 'apps/web');

export type Stack = {
  url: string;
  syncUrl: string;
  /** The environment the apps run with (database, secrets, ports): another sync node joins with it. */
  env: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
};

/** The production build, retried: a concurrent build of the same checkout can break one. */
function buildWeb(): void {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const result = spawnSync(join(root, 'node_modules/.bin/turbo'), ['run', 'build', '--filter=@cutline/web', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
    if (result.status === 0) return;
    spawnSync('sleep', [String(5 * attempt)]);
  }
  throw new Error('the web build failed three times');
}

/** Copies the build to a temporary directory whose node_modules is the checkout's. */
async function privateBuild(): Promise<string> {
  const target = await mkdtemp(join(tmpdir(), 'cutline-e2e-web-'));
  await symlink(join(root, 'node_modules'), join(target, 'node_modules'), 'dir');
  for (let attempt = 1; ; attempt++) {
    try {
      await cp(join(webDir, 'build'), join(target, 'build'), { recursive: true });
      await stat(join(target, 'build/index.js'));
      return target;
    } catch (error) {
      // Another build was replacing the directory just then: build again and retry.
      if (attempt >= 3) throw error;
      buildWeb();
    }
  }
}

/** `extraEnv` reaches every app (a benchmark passes REDIS_URL to run several sync nodes). */
export async function startStack({ extraEnv = {} }: { extraEnv?: Record<string, string> } = {}): Promise<Stack> {
  const home = await mkdtemp(join(tmpdir(), 'cutline-e2e-'));
  await chmod(home, 0o755);
  const ports = { PORT: await freePort(), SYNC_PORT: await freePort(), RENDER_PORT: await freePort(), PGPORT: await freePort() };
  // localhost (not 127.0.0.1): a secure context for WebCodecs, and the cookie's site.
  const url = `http://localhost:${ports.PORT}`;
  const syncUrl = `ws://localhost:${ports.SYNC_PORT}`;
  const settings = {
    CUTLINE_HOME: home,
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    SYNC_PUBLIC_URL: syncUrl,
    // The config's default is port 1234 whatever SYNC_PORT says.
    SYNC_INTERNAL_URL: `http://127.0.0.1:${ports.SYNC_PORT}`,
    SYNC_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    ...extraEnv,
  };
  const { DATABASE_URL: _external, ...inherited } = process.env;
  const config = loadConfig({ ...inherited, ...settings });
  const lines: string[] = [];
  const database = await prepareDatabase({ config, log: (line) => lines.push(`[postgres] ${line}`) });
  const children: ChildProcess[] = [];
  let build = '';
  let env: NodeJS.ProcessEnv;
  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    await database.stop();
    await rm(home, { recursive: true, force: true });
    if (build) await rm(build, { recursive: true, force: true });
  };
  try {
    if (process.env.E2E_SKIP_BUILD !== '1') buildWeb();
    build = await privateBuild();
    env = { ...inherited, ...settings, DATABASE_URL: database.url, NODE_ENV: 'production' };
    const node = process.execPath;
    const apps: App[] = [
      { name: 'sync', command: node, args: ['src/main.ts'], cwd: join(root, 'apps/sync'), env, healthUrl: `http://127.0.0.1:${ports.SYNC_PORT}/healthz` },
      { name: 'render', command: node, args: ['src/main.ts'], cwd: join(root, 'apps/render'), env, healthUrl: `http://127.0.0.1:${ports.RENDER_PORT}/healthz` },
      {
        name: 'web',
        command: node,
        args: [join(build, 'build/index.js')],
        cwd: webDir,
        env: { ...env, ORIGIN: url, BODY_SIZE_LIMIT: 'Infinity' },
        healthUrl: `http://127.0.0.1:${ports.PORT}/healthz`,
      },
    ];
    for (const app of apps) children.push(startApp(app));
    await Promise.all(apps.map((app, i) => waitHealthy({ app, child: children[i] as ChildProcess, timeoutMs: 120_000 })));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, syncUrl, env, stop };
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eUrl: string;
    e2eSyncUrl: string;
  }
}

/** vitest globalSetup: one stack for the whole run. `E2E_URL` points the tests at a running one. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.E2E_URL) {
    project.provide('e2eUrl', process.env.E2E_URL);
    project.provide('e2eSyncUrl', process.env.E2E_SYNC_URL ?? '');
    return async () => {};
  }
  const stack = await startStack();
  project.provide('e2eUrl', stack.url);
  project.provide('e2eSyncUrl', stack.syncUrl);
  return () => stack.stop();
}
