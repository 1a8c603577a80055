import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { open } from './support/clients.ts';
import { startSyncProcess, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world } from './support/world.ts';

forEachTransport('health, metrics and shutdown', (variant) => {
  let db: TestDatabase;
  let sync: SyncProcess;

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    sync = await startSyncProcess({ variant, databaseUrl: db.url });
  });
  afterAll(async () => {
    await sync?.crash();
    await db?.drop();
  });

  it('[SY41] [SY71] GET /healthz reports the database and the transport in use (the one asked for)', async () => {
    const response = await fetch(`${sync.http}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, db: true, service: 'sync', transport: variant.transport });
  });

  it('[SY40] GET /metrics is Prometheus text with connections, documents, updates/s, persist latency and rejections', async () => {
    const w = world(db.sql);
    const owner = await w.user('Owner');
    const project = await w.project(owner);
    const client = await open({ url: sync.url, documentName: timelineOf(project), token: owner.token });
    client.doc.getMap('scratch').set('k', 1);
    await client.acked();
    const response = await fetch(`${sync.http}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^sync_connections 1$/m);
    expect(text).toMatch(/^sync_open_documents 1$/m);
    expect(text).toMatch(/^sync_updates_per_second /m);
    expect(text).toMatch(/^sync_persist_seconds_bucket\{le="0.005"\} \d+$/m);
    expect(text).toMatch(/^sync_persist_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^sync_rejected_messages_total/m);
    expect(text).toContain(`sync_transport_info{transport="${variant.transport}"} 1`);
    client.destroy();
  });

  it('answers unknown paths with a JSON 404', async () => {
    const response = await fetch(`${sync.http}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
  });

  it('[SY17] SIGTERM stores what arrived, closes the clients and exits 0', async () => {
    const w = world(db.sql);
    const owner = await w.user('Owner');
    const project = await w.project(owner);
    const own = await startSyncProcess({ variant, databaseUrl: db.url });
    const client = await open({ url: own.url, documentName: timelineOf(project), token: owner.token });
    client.doc.getMap('scratch').set('before-shutdown', true);
    await client.acked();
    const closed = client.closed;
    expect(await own.stop()).toEqual({ code: 0, signal: null });
    await closed;
    client.destroy();
    const again = await startSyncProcess({ variant, databaseUrl: db.url });
    const reader = await open({ url: again.url, documentName: timelineOf(project), token: owner.token });
    expect(reader.doc.getMap('scratch').get('before-shutdown')).toBe(true);
    reader.destroy();
    await again.stop();
  });
});
