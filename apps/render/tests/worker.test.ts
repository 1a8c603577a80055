import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@cutline/shared/config';
import { createLogger } from '@cutline/shared/log';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { migrateWorkerSchema } from '@cutline/shared/worker-schema';
import { startRenderWorker, type RenderWorker } from '../src/worker.ts';
import { waitUntil } from './support/wait.ts';

describe('render worker', () => {
  let db: TestDatabase;
  let worker: RenderWorker;

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    await migrateWorkerSchema({ databaseUrl: db.url });
    worker = await startRenderWorker({
      config: loadConfig({ DATABASE_URL: db.url }),
      log: createLogger({ app: 'render-test', level: 'silent' }),
      sql: db.sql,
      databaseUrl: db.url,
      port: 0,
    });
  });
  afterAll(async () => {
    await worker.stop();
    await db.drop();
  });

  it('takes a queued healthcheck job and completes it', async () => {
    const done = new Promise<string>((resolve) => {
      worker.runner.events.on('job:success', ({ job }) => resolve(job.task_identifier));
    });
    await worker.runner.addJob('healthcheck', { requestId: 'req-1' });
    expect(await done).toBe('healthcheck');
    // Graphile deletes the finished job right after emitting job:success, not before.
    await waitUntil(async () => {
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from graphile_worker.jobs`;
      return row?.n === 0;
    });
  });

  it('answers /healthz with the database and worker state', async () => {
    const response = await fetch(`http://127.0.0.1:${worker.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, service: 'render', db: true, worker: 'running' });
  });
});
