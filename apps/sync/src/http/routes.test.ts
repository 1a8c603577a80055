import { describe, expect, it } from 'vitest';
import { Hocuspocus } from '@hocuspocus/server';
import type { Sql } from '@cutline/shared/db';
import { createLogger } from '@cutline/shared/log';
import type { SyncContext } from '../context.ts';
import { EditEndpoint } from '../edits/edit-endpoint.ts';
import { limitsFromConfig } from '../limits/limits.ts';
import { loadConfig } from '@cutline/shared/config';
import { createSyncMetrics } from '../metrics/sync-metrics.ts';
import { DocumentStore } from '../persistence/document-store.ts';
import { createRoutes } from './routes.ts';
import { json, type HttpRequest } from './types.ts';

const secret = 's'.repeat(40);
const log = createLogger({ app: 'routes-test', level: 'silent' });
const metrics = createSyncMetrics({ transport: () => 'node', webSockets: () => 0, documentConnections: () => 0, openDocuments: () => 0 });
// Never queried: these tests stop before any database work.
const sql = (() => {
  throw new Error('no database in this test');
}) as unknown as Sql;
const limits = limitsFromConfig(loadConfig({}));

class AcceptingEdits extends EditEndpoint {
  override async handle(): Promise<ReturnType<typeof json>> {
    return json(200, { ok: true });
  }
}

function routes({ draining = false, withSecret = true } = {}) {
  const hocuspocus = new Hocuspocus<SyncContext>({ quiet: true });
  const store = new DocumentStore({ sql, log, metrics, limits });
  return createRoutes({
    sql,
    log,
    metrics,
    edits: new AcceptingEdits({ hocuspocus, store, sql, log, metrics }),
    secret: withSecret ? secret : undefined,
    maxEditBodyBytes: 1024,
    status: () => ({ transport: 'node', connections: 0, documents: 0, draining }),
  });
}

const request = (over: Partial<HttpRequest> & { auth?: string }): HttpRequest => ({
  method: 'POST',
  path: '/internal/v1/edits',
  headers: new Headers(over.auth ? { authorization: over.auth } : {}),
  remoteAddress: '127.0.0.1',
  readBody: async () => new Uint8Array(),
  ...over,
});

describe('routes', () => {
  it('[SY60] internal endpoints refuse callers outside loopback and private networks, whatever their headers say', async () => {
    const response = await routes()(
      request({ remoteAddress: '203.0.113.9', auth: `Bearer ${secret}`, headers: new Headers({ authorization: `Bearer ${secret}`, 'x-forwarded-for': '127.0.0.1' }) }),
    );
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
  });

  it('[SY60] refuses without SYNC_SECRET configured, and while shutting down', async () => {
    expect((await routes({ withSecret: false })(request({ auth: `Bearer ${secret}` }))).status).toBe(503);
    expect((await routes({ draining: true })(request({ auth: `Bearer ${secret}` }))).status).toBe(503);
  });

  it('[SY60] passes a private caller with the secret to the endpoint', async () => {
    const response = await routes()(request({ remoteAddress: '10.1.2.3', auth: `Bearer ${secret}` }));
    expect(response.status).toBe(200);
  });

  it('answers wrong methods with 405', async () => {
    expect((await routes()(request({ method: 'GET' }))).status).toBe(405);
    expect((await routes()(request({ method: 'POST', path: '/metrics' }))).status).toBe(405);
  });
});
