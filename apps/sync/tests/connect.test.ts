import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { loadConfig } from '@cutline/shared/config';
import { createLogger } from '@cutline/shared/log';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { startSyncServer, type SyncServer } from '../src/server.ts';

describe('sync server', () => {
  let db: TestDatabase;
  let server: SyncServer;

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    server = await startSyncServer({
      config: loadConfig({ DATABASE_URL: db.url }),
      log: createLogger({ app: 'sync-test', level: 'silent' }),
      sql: db.sql,
      port: 0,
    });
  });
  afterAll(async () => {
    await server.stop();
    await db.drop();
  });

  const connect = (name: string) => {
    const doc = new Y.Doc();
    const websocketProvider = new HocuspocusProviderWebsocket({ url: `ws://127.0.0.1:${server.port}` });
    const provider = new HocuspocusProvider({ websocketProvider, name, document: doc, token: 'test' });
    // With a shared socket (one per browser tab, many documents) the provider must be attached.
    provider.attach();
    const synced = new Promise<void>((resolve) => provider.on('synced', () => resolve()));
    return { doc, provider, websocketProvider, synced };
  };

  it('answers /healthz with the database state', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, db: true, service: 'sync' });
  });

  it('accepts provider connections and relays an edit between two clients', async () => {
    const a = connect('project/p1/timeline');
    const b = connect('project/p1/timeline');
    await Promise.all([a.synced, b.synced]);
    const seen = new Promise<string>((resolve) => {
      b.doc.getMap('settings').observe(() => resolve(String(b.doc.getMap('settings').get('title'))));
    });
    a.doc.getMap('settings').set('title', 'hello');
    expect(await seen).toBe('hello');
    for (const c of [a, b]) {
      c.provider.destroy();
      c.websocketProvider.destroy();
    }
  });

  it('answers unknown paths with a JSON 404', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
  });
});
