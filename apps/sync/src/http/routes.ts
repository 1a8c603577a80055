import { pingDatabase, type Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';
import { EDIT_PATH, type EditEndpoint } from '../edits/edit-endpoint.ts';
import { isPrivateAddress } from '../edits/private-address.ts';
import { bearer, secretMatches } from '../edits/secret.ts';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import { json, jsonError, type HttpHandler, type HttpRequest, type HttpResponse } from './types.ts';

export const MEMORY_PATH = '/internal/v1/memory';

export type RoutesOptions = {
  sql: Sql;
  log: Logger;
  metrics: SyncMetrics;
  edits: EditEndpoint;
  secret: string | undefined;
  maxEditBodyBytes: number;
  status: () => { transport: string; connections: number; documents: number; draining: boolean };
};

/**
 * GET /healthz, GET /metrics, and the internal endpoints (SPEC.md SY40, SY60). Internal
 * endpoints answer only callers on loopback or a private network (by socket address)
 * that present SYNC_SECRET as a bearer token.
 */
export function createRoutes({ sql, log, metrics, edits, secret, maxEditBodyBytes, status }: RoutesOptions): HttpHandler {
  async function internal(request: HttpRequest, run: () => Promise<HttpResponse>): Promise<HttpResponse> {
    if (!isPrivateAddress(request.remoteAddress)) return jsonError(403, 'forbidden', 'Internal endpoints answer loopback and private networks only');
    if (!secret) return jsonError(503, 'not_configured', 'SYNC_SECRET is not set on this sync server');
    if (!secretMatches(bearer(request.headers.get('authorization')), secret)) return jsonError(401, 'unauthorized', 'Missing or wrong sync secret');
    if (status().draining) return jsonError(503, 'shutting_down', 'This sync server is shutting down; retry on another');
    return run();
  }

  return async (request) => {
    try {
      const { method, path } = request;
      if (path === '/healthz') {
        if (method !== 'GET' && method !== 'HEAD') return jsonError(405, 'method_not_allowed', 'Use GET');
        const s = status();
        const db = await pingDatabase(sql);
        const ok = db && !s.draining;
        return json(ok ? 200 : 503, { ok, service: 'sync', db, transport: s.transport, connections: s.connections, documents: s.documents, draining: s.draining });
      }
      if (path === '/metrics') {
        if (method !== 'GET') return jsonError(405, 'method_not_allowed', 'Use GET');
        return { status: 200, headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }, body: metrics.registry.render() };
      }
      if (path === EDIT_PATH) {
        if (method !== 'POST') return jsonError(405, 'method_not_allowed', 'Use POST');
        return await internal(request, () => edits.handle(request, maxEditBodyBytes));
      }
      if (path === MEMORY_PATH) {
        if (method !== 'GET') return jsonError(405, 'method_not_allowed', 'Use GET');
        return await internal(request, async () => {
          // Only a process started with --expose-gc (the tests' fuzz server) can collect on demand.
          const collect = (globalThis as { gc?: () => void }).gc;
          collect?.();
          const usage = process.memoryUsage();
          return json(200, { rss: usage.rss, heapUsed: usage.heapUsed, collected: typeof collect === 'function' });
        });
      }
      return jsonError(404, 'not_found', 'Not found');
    } catch (error) {
      log.error({ err: error, path: request.path }, 'http handler failed');
      return jsonError(500, 'internal', 'Internal error');
    }
  };
}
