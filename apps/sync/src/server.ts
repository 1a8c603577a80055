import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hocuspocus, type WebSocketLike } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';
import type { Config } from '@cutline/shared/config';
import { pingDatabase, type Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';

export type SyncServer = {
  port: number;
  transport: 'node' | 'uws';
  hocuspocus: Hocuspocus;
  stop(): Promise<void>;
};

export type StartSyncServerOptions = {
  config: Config;
  log: Logger;
  sql: Sql;
  /** 0 picks a free port (tests). */
  port?: number;
};

type PeerWithConnection = { _hocuspocus?: ReturnType<Hocuspocus['handleConnection']> };

/**
 * Hocuspocus attached to crossws (DESIGN.md §1): we own the HTTP server so /healthz and
 * /metrics share the port with the WebSocket upgrade.
 */
export async function startSyncServer({ config, log, sql, port = config.SYNC_PORT }: StartSyncServerOptions): Promise<SyncServer> {
  const hocuspocus = new Hocuspocus({ quiet: true });

  const ws = crossws({
    hooks: {
      open: (peer) => {
        const connection = hocuspocus.handleConnection(peer.websocket as unknown as WebSocketLike, peer.request as Request);
        (peer as unknown as PeerWithConnection)._hocuspocus = connection;
      },
      message: (peer, message) => {
        (peer as unknown as PeerWithConnection)._hocuspocus?.handleMessage(message.uint8Array());
      },
      close: (peer, event) => {
        (peer as unknown as PeerWithConnection)._hocuspocus?.handleClose({ code: event.code ?? 1000, reason: event.reason ?? '' });
      },
      error: (peer, error) => {
        log.warn({ peer: peer.id, err: error }, 'websocket error');
      },
    },
  });

  const http = createServer((req, res) => {
    void handleHttp(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    void ws.handleUpgrade(req, socket, head);
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      const db = await pingDatabase(sql);
      res.writeHead(db ? 200 : 503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ok: db,
          service: 'sync',
          db,
          transport: 'node',
          connections: hocuspocus.getConnectionsCount(),
          documents: hocuspocus.getDocumentsCount(),
        }),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'Not found' } }));
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, config.HOST, () => resolve());
  });

  return {
    port: (http.address() as AddressInfo).port,
    transport: 'node',
    hocuspocus,
    stop: async () => {
      hocuspocus.closeConnections();
      ws.closeAll(1001, 'server shutting down');
      await new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      });
    },
  };
}
