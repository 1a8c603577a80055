import { Hocuspocus, type Extension } from '@hocuspocus/server';
import { Redis } from '@hocuspocus/extension-redis';
import type { Config } from '@cutline/shared/config';
import type { Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';
import { AccessWatcher } from './auth/access-watcher.ts';
import { Authenticator } from './auth/authenticate.ts';
import { ConnectionRegistry } from './auth/registry.ts';
import type { SyncContext } from './context.ts';
import { EditEndpoint } from './edits/edit-endpoint.ts';
import { guardExtension } from './hooks/safe-hooks.ts';
import { createRoutes } from './http/routes.ts';
import { limitsFromConfig, type SyncLimits } from './limits/limits.ts';
import { createSyncMetrics, type SyncMetrics } from './metrics/sync-metrics.ts';
import { DocumentStore } from './persistence/document-store.ts';
import { Presence } from './presence/presence.ts';
import { UpdateGuard } from './protocol/update-guard.ts';
import { chooseTransport } from './transport/choose.ts';
import { SocketGate } from './transport/gate.ts';
import { startNodeTransport } from './transport/node.ts';
import type { Transport } from './transport/transport.ts';
import { startUwsTransport } from './transport/uws.ts';

export type SyncServer = {
  port: number;
  transport: 'node' | 'uws';
  hocuspocus: Hocuspocus<SyncContext>;
  metrics: SyncMetrics;
  store: DocumentStore;
  watcher: AccessWatcher;
  limits: SyncLimits;
  /** Graceful shutdown (SPEC.md SY17): stop accepting, finish and store what arrived, close. */
  stop(): Promise<void>;
};

export type StartSyncServerOptions = {
  config: Config;
  log: Logger;
  sql: Sql;
  /** 0 picks a free port (tests). Defaults to SYNC_PORT. */
  port?: number;
  /** Extra Hocuspocus extensions (tests inject failing hooks). */
  extensions?: Extension<SyncContext>[];
  /** How often every connection's access is re-read even without a notification. */
  authSweepMs?: number;
  /** Compact a document's log after this many appended updates. */
  compactEvery?: number;
};

/**
 * Hocuspocus v4 attached to crossws on our own HTTP server — uWebSockets.js or ws
 * (docs/ARCHITECTURE.md). /healthz, /metrics and the internal edit endpoint share the port.
 */
export async function startSyncServer({
  config,
  log,
  sql,
  port = config.SYNC_PORT,
  extensions = [],
  authSweepMs,
  compactEvery,
}: StartSyncServerOptions): Promise<SyncServer> {
  const limits = limitsFromConfig(config);
  const choice = chooseTransport(config.SYNC_TRANSPORT);
  if (choice.name === 'node' && config.SYNC_TRANSPORT === 'auto') log.info({ why: choice.why }, 'using the ws transport');

  const registry = new ConnectionRegistry();
  // The gauges read these once they exist (metrics come first: everything else reports to them).
  const live: { gate?: SocketGate; hocuspocus?: Hocuspocus<SyncContext> } = {};
  const metrics = createSyncMetrics({
    transport: () => choice.name,
    webSockets: () => live.gate?.size ?? 0,
    documentConnections: () => registry.size,
    openDocuments: () => live.hocuspocus?.getDocumentsCount() ?? 0,
  });

  const store = new DocumentStore({ sql, log, metrics, limits, compactEvery, relay: config.SYNC_RELAY });
  const redis = config.REDIS_URL ? redisExtension(config.REDIS_URL, log) : undefined;
  const all: Extension<SyncContext>[] = [
    new Authenticator({ sql, log, metrics, limits, registry, ticketSecret: config.SYNC_SECRET }),
    new UpdateGuard({ metrics, log, maxTokenLength: limits.maxTokenLength }),
    store,
    new Presence({ limits, metrics }),
    ...(redis ? [redis] : []),
    ...extensions,
  ].map((extension) => guardExtension(extension, { log, onFailure: (hook) => metrics.hookFailures.inc({ hook }) }));

  const server = new Hocuspocus<SyncContext>({
    quiet: true,
    extensions: all,
    // The gate refuses a socket's documents beyond the limit one by one (SY23) before
    // Hocuspocus sees them, so its own cap, which resets the whole socket, never fires.
    maxPendingDocuments: limits.maxDocumentsPerConnection + 1,
    // The gate already bounds what a socket sends before it authenticates (SY27); this
    // bounds what is queued for documents still authenticating on an authenticated one:
    // each may have what a fresh socket may send.
    maxUnauthenticatedQueueSize: limits.maxDocumentsPerConnection * limits.maxUnauthenticatedBytes,
  });
  const socketGate = new SocketGate({ hocuspocus: server, limits, metrics, log, copyFrames: choice.name === 'uws' });
  live.hocuspocus = server;
  live.gate = socketGate;
  const watcher = new AccessWatcher({ sql, log, metrics, registry, sweepMs: authSweepMs });
  await watcher.start();

  const edits = new EditEndpoint({ hocuspocus: server, store, sql, log, metrics });
  const routes = createRoutes({
    sql,
    log,
    metrics,
    edits,
    secret: config.SYNC_SECRET,
    maxEditBodyBytes: limits.maxEditBodyBytes,
    status: () => ({ transport: choice.name, connections: socketGate.size, documents: server.getDocumentsCount(), draining: socketGate.isDraining }),
  });

  const common = { gate: socketGate, handler: routes, host: config.HOST, port, limits, log };
  let transport: Transport;
  try {
    transport = choice.name === 'uws' ? await startUwsTransport({ ...common, uws: choice.uws }) : await startNodeTransport(common);
  } catch (error) {
    await watcher.stop();
    await server.hooks('onDestroy', { instance: server }).catch(() => {});
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      socketGate.drain();
      await transport.stopAccepting();
      await watcher.stop();
      // Messages already taken in finish (their appends commit and clients get their acks).
      const pending = [...server.documents.values()].flatMap((document) => document.getConnections().map((c) => c.waitForPendingMessages()));
      await Promise.allSettled(pending);
      await store.close();
      // One more turn, so acknowledgements released by the last commits are written out.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await transport.close();
      await server.hooks('onDestroy', { instance: server }).catch((error: unknown) => log.warn({ err: error }, 'an extension failed to shut down'));
    })());

  return { port: transport.port, transport: transport.name, hocuspocus: server, metrics, store, watcher, limits, stop };
}

/** REDIS_URL → the Hocuspocus Redis extension (SPEC.md SY80). */
function redisExtension(url: string, log: Logger): Redis {
  const parsed = new URL(url);
  const extension = new Redis({
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    prefix: 'cutline-sync',
    options: {
      username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
      password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
      db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
      tls: parsed.protocol === 'rediss:' ? {} : undefined,
    },
  });
  for (const client of [extension.pub, extension.sub]) client.on('error', (error: unknown) => log.warn({ err: error }, 'redis connection error'));
  return extension;
}
