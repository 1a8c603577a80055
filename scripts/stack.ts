/**
 * `npm start` (and `npm run dev` with --dev): everything on one machine. Embedded
 * PostgreSQL unless DATABASE_URL, migrations, then sync, render and web as child
 * processes; prints the URL once all three answer /healthz. An app that crashes after
 * that is restarted with backoff (scripts/lib/processes.ts, Supervisor) while the others
 * keep running. Ctrl-C or SIGTERM stops the apps (each with its process group) first,
 * then PostgreSQL, and leaves no process behind.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, repoRoot, type Config } from '@cutline/shared/config';
import { describeError } from '@cutline/shared/errors';
import { prepareDatabase, type Database } from './lib/database.ts';
import { say, signalGroup, Supervisor, type App } from './lib/processes.ts';

const dev = process.argv.includes('--dev');

async function syncSecret(config: Config): Promise<string> {
  if (config.SYNC_SECRET) return config.SYNC_SECRET;
  const file = join(config.CUTLINE_HOME, 'sync.secret');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

function apps(config: Config, env: NodeJS.ProcessEnv): App[] {
  const node = process.execPath;
  const web: App = dev
    ? {
        name: 'web',
        command: join(repoRoot, 'node_modules', '.bin', 'vite'),
        args: ['dev', '--port', String(config.PORT), '--host', config.HOST, '--strictPort'],
        cwd: join(repoRoot, 'apps/web'),
        env,
        healthUrl: `http://127.0.0.1:${config.PORT}/healthz`,
      }
    : {
        name: 'web',
        command: node,
        args: ['build/index.js'],
        cwd: join(repoRoot, 'apps/web'),
        // Uploads stream up to MAX_UPLOAD_BYTES; JSON routes enforce their own 1 MiB limit.
        env: { ...env, ORIGIN: config.PUBLIC_URL, BODY_SIZE_LIMIT: 'Infinity' },
        healthUrl: `http://127.0.0.1:${config.PORT}/healthz`,
      };
  return [
    {
      name: 'sync',
      command: node,
      args: [...(dev ? ['--watch'] : []), 'src/main.ts'],
      cwd: join(repoRoot, 'apps/sync'),
      env,
      healthUrl: `http://127.0.0.1:${config.SYNC_PORT}/healthz`,
    },
    {
      name: 'render',
      command: node,
      args: [...(dev ? ['--watch'] : []), 'src/main.ts'],
      cwd: join(repoRoot, 'apps/render'),
      env,
      healthUrl: `http://127.0.0.1:${config.RENDER_PORT}/healthz`,
    },
    web,
  ];
}

async function main(): Promise<number> {
  const config = loadConfig();
  await mkdir(config.CUTLINE_HOME, { recursive: true });

  const database: Database = await prepareDatabase({ config, log: (line) => say('postgres', line) });
  const supervisors: Supervisor[] = [];
  let stopping: Promise<number> | null = null;

  const stopAll = (code: number): Promise<number> => {
    stopping ??= (async () => {
      say('stack', 'stopping…');
      await Promise.all(supervisors.map((s) => s.stop()));
      await database.stop();
      say('stack', 'stopped');
      return code;
    })();
    return stopping;
  };
  process.on('SIGINT', () => void stopAll(0).then((code) => process.exit(code)));
  process.on('SIGTERM', () => void stopAll(0).then((code) => process.exit(code)));
  // The apps run in their own sessions (detached), so a closed terminal's SIGHUP reaches
  // only the stack: it stops them as for Ctrl-C.
  process.on('SIGHUP', () => void stopAll(0).then((code) => process.exit(code)));
  // Nor would they die with a stack that exits without stopping them (an uncaught
  // error): the last resort kills them.
  process.on('exit', () => {
    for (const s of supervisors) if (s.child) signalGroup(s.child, 'SIGKILL');
  });

  try {
    if (!dev) {
      say('stack', 'building the web app…');
      const build = spawnSync(
        join(repoRoot, 'node_modules', '.bin', 'turbo'),
        ['run', 'build', '--filter=@cutline/web', '--output-logs=errors-only'],
        { cwd: repoRoot, stdio: 'inherit' },
      );
      if (build.status !== 0) throw new Error('the web build failed; see the output above');
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.url,
      SYNC_SECRET: await syncSecret(config),
      NODE_ENV: dev ? 'development' : 'production',
      // Resolved values are passed on explicitly: adapter-node reads PORT/HOST itself and
      // would otherwise fall back to its own defaults (3000, 0.0.0.0).
      HOST: config.HOST,
      PORT: String(config.PORT),
      SYNC_PORT: String(config.SYNC_PORT),
      RENDER_PORT: String(config.RENDER_PORT),
      CUTLINE_HOME: config.CUTLINE_HOME,
    };
    for (const app of apps(config, env)) supervisors.push(new Supervisor({ app }));
    // A failure during start-up (a port in use, a bad setting) stops everything with its
    // reason; a crash once everything runs restarts that app alone.
    await Promise.all(supervisors.map((s) => s.start({ timeoutMs: 90_000 })));
    for (const s of supervisors) s.supervise();
  } catch (error) {
    say('stack', describeError(error));
    return stopAll(1);
  }

  say('stack', `Cutline is running${database.embedded ? ' (embedded PostgreSQL)' : ''}.`);
  console.log(`\n  Open ${config.PUBLIC_URL}\n`);
  return new Promise<number>(() => {});
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`cutline: ${describeError(error)}`);
    process.exit(1);
  },
);
