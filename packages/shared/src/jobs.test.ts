import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateWorkerSchema } from './db/worker-schema.ts';
import { enqueue, finalizeJob, ingestJob, parseIngestPayload, parsePartPayload, parseRenderPayload, partJob, renderJob } from './jobs.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

describe('render farm jobs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    await migrateWorkerSchema({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('every job parses back to its payload on the farm side', () => {
    expect(parseIngestPayload(ingestJob({ assetId: 'a1', requestId: 'r' }).payload)).toEqual({ assetId: 'a1', requestId: 'r' });
    expect(parseRenderPayload(renderJob({ renderId: 'r1' }).payload)).toEqual({ renderId: 'r1' });
    expect(parsePartPayload(partJob({ renderId: 'r1', part: 3 }).payload)).toEqual({ renderId: 'r1', part: 3 });
    expect(parseRenderPayload(finalizeJob({ renderId: 'r1' }).payload)).toEqual({ renderId: 'r1' });
  });

  it('refuses payloads it did not queue', () => {
    expect(parseIngestPayload({ assetId: '../x' })).toBeNull();
    expect(parseRenderPayload({ renderId: 'R1' })).toBeNull();
    expect(parsePartPayload({ renderId: 'r1', part: 1.5 })).toBeNull();
    expect(parseIngestPayload('a1')).toBeNull();
  });

  it('enqueue queues once per key: a second queueing replaces the first', async () => {
    await enqueue(db.sql, ingestJob({ assetId: 'asset1' }));
    await enqueue(db.sql, ingestJob({ assetId: 'asset1', requestId: 'again' }));
    const rows = await db.sql<{ task_identifier: string; payload: unknown; max_attempts: number }[]>`
      select t.identifier as task_identifier, j.payload, j.max_attempts
      from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where j.key = 'ingest:asset1'`;
    expect(rows).toEqual([{ task_identifier: 'ingest', payload: { assetId: 'asset1', requestId: 'again' }, max_attempts: 10 }]);
  });
});
