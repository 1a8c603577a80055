import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSql } from './db/client.ts';
import { publishProjectEvent, subscribeProjectEvents, type ProjectEvent } from './events.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

describe('project events', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('an event published by one connection pool reaches a subscriber on another', async () => {
    const publisher = createSql({ url: db.url, max: 1 });
    let deliver: (e: ProjectEvent) => void = () => {};
    const received = new Promise<ProjectEvent>((resolve) => (deliver = resolve));
    // LISTEN is in place once subscribe resolves.
    const unlisten = await subscribeProjectEvents(db.sql, (e) => deliver(e));
    const event: ProjectEvent = { type: 'asset.updated', projectId: 'p1', assetId: 'a1', state: 'ready' };
    await publishProjectEvent(publisher, event);
    expect(await received).toEqual(event);
    await unlisten();
    await publisher.end();
  });

  it('an event published inside a rolled-back transaction is never delivered', async () => {
    const seen: ProjectEvent[] = [];
    const unlisten = await subscribeProjectEvents(db.sql, (e) => seen.push(e));
    await db.sql
      .begin(async (tx) => {
        await publishProjectEvent(tx, { type: 'asset.deleted', projectId: 'p1', assetId: 'gone' });
        throw new Error('rollback');
      })
      .catch(() => {});
    // Notifications arrive in commit order: once the marker is in, the rolled-back one
    // would have been too.
    let markerSeen: () => void = () => {};
    const marker = new Promise<void>((resolve) => (markerSeen = resolve));
    const unlistenMarker = await subscribeProjectEvents(db.sql, (e) => {
      if (e.type === 'asset.deleted' && e.assetId === 'marker') markerSeen();
    });
    await publishProjectEvent(db.sql, { type: 'asset.deleted', projectId: 'p1', assetId: 'marker' });
    await marker;
    expect(seen.map((e) => (e.type === 'asset.deleted' ? e.assetId : ''))).toEqual(['marker']);
    await unlisten();
    await unlistenMarker();
  });
});
