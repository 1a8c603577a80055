import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { inject } from 'vitest';
import { migrateWorkerSchema } from '@cutline/shared/worker-schema';
import { createTestDatabase, freePort, type TestDatabase } from '@cutline/shared/testing';

const root = join(import.meta.dirname, '../../..');

export type Stack = { web: string; syncPort: number; db: TestDatabase; storageDir: string; logs: string[]; stop(): Promise<void> };

/**
 * The three apps as child processes on one fresh database, as `npm start` runs them: sync
 * and render from source on Node 24, web from its production build.
 */
export async function startStack(): Promise<Stack> {
  const db = await createTestDatabase({ serverUrl: inject('pgUrl') });
  await migrateWorkerSchema({ databaseUrl: db.url });
  const storageDir = await mkdtemp(join(tmpdir(), 'cutline-stack-'));
  const [webPort, syncPort, renderPort] = [await freePort(), await freePort(), await freePort()];
  const web = `http://127.0.0.1:${webPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    HOST: '127.0.0.1',
    PORT: String(webPort),
    ORIGIN: web,
    PUBLIC_URL: web,
    SYNC_PORT: String(syncPort),
    SYNC_PUBLIC_URL: `ws://127.0.0.1:${syncPort}`,
    SYNC_INTERNAL_URL: `http://127.0.0.1:${syncPort}`,
    SYNC_SECRET: 'stack-test-secret-0123456789-abcdefghij',
    RENDER_PORT: String(renderPort),
    STORAGE_DIR: storageDir,
    CUTLINE_HOME: storageDir,
    BODY_SIZE_LIMIT: 'Infinity',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  const logs: string[] = [];
  const children: ChildProcess[] = [];
  const start = (name: string, cwd: string, args: string[], healthPort: number) => {
    const child = spawn(process.execPath, args, { cwd: join(root, cwd), env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', (l) => logs.push(`[${name}] ${l}`));
    children.push(child);
    return { child, health: `http://127.0.0.1:${healthPort}/healthz`, name };
  };
  const apps = [
    start('sync', 'apps/sync', ['src/main.ts'], syncPort),
    start('render', 'apps/render', ['src/main.ts'], renderPort),
    start('web', 'apps/web', ['build/index.js'], webPort),
  ];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await db.drop();
    await rm(storageDir, { recursive: true, force: true });
  };
  try {
    for (const app of apps) {
      for (let i = 0; ; i++) {
        if (app.child.exitCode !== null) throw new Error(`${app.name} exited:\n${logs.join('\n')}`);
        try {
          if ((await fetch(app.health)).ok) break;
        } catch {
          // starting
        }
        if (i > 600) throw new Error(`${app.name} did not become healthy:\n${logs.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { web, syncPort, db, storageDir, logs, stop };
}

/** A short H.264/AAC MP4 made with the npm-bundled FFmpeg (test media is generated, never committed). */
export function makeTestVideo(path: string, seconds = 2): void {
  const ffmpeg = join(root, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
  const result = spawnSync(ffmpeg, [
    '-y', '-v', 'error',
    '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=25:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path,
  ]);
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr.toString()}`);
}
