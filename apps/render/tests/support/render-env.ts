/**
 * A render test environment: a fresh database (embedded PostgreSQL 18 from the global
 * setup), Graphile's schema, local-disk storage in a temp dir, a user and a project, and
 * helpers to register media, request renders and await their end state by event.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import * as Y from 'yjs';
import { loadConfig } from '@cutline/shared/config';
import { subscribeProjectEvents, type ProjectEvent } from '@cutline/shared/events';
import { createLogger } from '@cutline/shared/log';
import { createRender, getRender, type RenderInfo } from '@cutline/shared/renders';
import { createLocalStorage, type Storage } from '@cutline/shared/storage';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { loadSnapshot, type TimelineSnapshot } from '@cutline/timeline';
import type { FfmpegBinaries } from '../../src/ffmpeg/index.ts';
import type { RenderFarmOptions } from '../../src/render/farm.ts';
import { migrateWorkerSchema } from '@cutline/shared/worker-schema';
import { startRenderWorker, type RenderWorker } from '../../src/worker.ts';
import { testBinaries } from './binaries.ts';
import { createUserAndProject, testId } from './rows.ts';

export type RenderEnv = {
  db: TestDatabase;
  storage: Storage;
  storageDir: string;
  dir: string;
  binaries: FfmpegBinaries;
  userId: string;
  projectId: string;
  addAsset(id: string, path: string, facts: { kind: 'video' | 'audio' | 'image'; width?: number; height?: number; durationUs?: number; hasAudio?: boolean }): Promise<void>;
  request(snapshot: TimelineSnapshot, preset?: string, range?: { start?: number; end?: number }): Promise<RenderInfo>;
  /** Resolves with the render once it is succeeded, failed or cancelled. */
  settled(renderId: string): Promise<RenderInfo>;
  /** Resolves on the first event about the render that matches. */
  event(renderId: string, match: (e: Extract<ProjectEvent, { type: 'render.updated' }>) => boolean): Promise<Extract<ProjectEvent, { type: 'render.updated' }>>;
  startWorker(options?: RenderFarmOptions, concurrency?: number, storage?: Storage): Promise<RenderWorker>;
  /** Workers started here and not stopped. */
  workers(): RenderWorker[];
  close(): Promise<void>;
};

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export async function createRenderEnv(): Promise<RenderEnv> {
  const db = await createTestDatabase({ serverUrl: inject('pgUrl') });
  await migrateWorkerSchema({ databaseUrl: db.url });
  const dir = await mkdtemp(join(tmpdir(), 'cutline-render-test-'));
  const storageDir = join(dir, 'storage');
  const storage = createLocalStorage({ root: storageDir });
  const binaries = testBinaries();
  const { userId, projectId } = await createUserAndProject(db.sql);
  const workers: RenderWorker[] = [];
  const listeners = new Set<(e: ProjectEvent) => void>();
  const unsubscribe = await subscribeProjectEvents(db.sql, (e) => listeners.forEach((l) => l(e)));

  const event: RenderEnv['event'] = (renderId, match) =>
    new Promise((resolve) => {
      const listener = (e: ProjectEvent) => {
        if (e.type === 'render.updated' && e.renderId === renderId && match(e)) {
          listeners.delete(listener);
          resolve(e);
        }
      };
      listeners.add(listener);
    });

  return {
    db,
    storage,
    storageDir,
    dir,
    binaries,
    userId,
    projectId,
    async addAsset(id, path, facts) {
      const key = `assets/${id}/original`;
      await storage.put(key, { path });
      await db.sql`
        insert into assets (id, project_id, uploaded_by, kind, state, original_name, content_hash, byte_size, original_key, width, height, duration_us, has_audio)
        values (${id}, ${projectId}, ${userId}, ${facts.kind}, 'ready', ${`${id}.media`}, ${`sha256-${id}`}, 1, ${key},
                ${facts.width ?? null}, ${facts.height ?? null}, ${facts.durationUs ?? null}, ${facts.hasAudio ?? null})`;
    },
    async request(snapshot, preset = 'mp4-720p', range) {
      // Pinned like the web app does: the encoded state of a doc loaded from the snapshot.
      const state = Y.encodeStateAsUpdate(loadSnapshot(snapshot));
      return createRender({ sql: db.sql, projectId, requestedBy: userId, preset, range, pinnedState: state, pinnedSnapshot: snapshot, requestId: testId() });
    },
    async settled(renderId) {
      const done = event(renderId, (e) => TERMINAL.has(e.state));
      const now = await getRender({ sql: db.sql, renderId });
      if (now && TERMINAL.has(now.state)) return now;
      await done;
      const row = await getRender({ sql: db.sql, renderId });
      if (!row) throw new Error(`render ${renderId} vanished`);
      return row;
    },
    event,
    async startWorker(options = {}, concurrency = 1, workerStorage = storage) {
      const worker = await startRenderWorker({
        config: loadConfig({ DATABASE_URL: db.url, RENDER_CONCURRENCY: String(concurrency) }),
        log: createLogger({ app: 'render-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        sql: db.sql,
        databaseUrl: db.url,
        port: 0,
        storage: workerStorage,
        binaries,
        workDir: dir,
        render: options,
      });
      let stopped: Promise<void> | null = null;
      const once = {
        ...worker,
        stop: () => {
          workers.splice(workers.indexOf(once), 1);
          return (stopped ??= worker.stop());
        },
      };
      workers.push(once);
      return once;
    },
    workers: () => [...workers],
    async close() {
      await Promise.all([...workers].map((w) => w.stop()));
      await unsubscribe();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
