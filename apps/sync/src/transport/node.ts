import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import crossws from 'crossws/adapters/node';
import type { Logger } from '@cutline/shared/log';
import type { SyncLimits } from '../limits/limits.ts';
import type { HttpHandler, HttpRequest } from '../http/types.ts';
import type { SocketGate } from './gate.ts';
import type { Transport } from './transport.ts';

/**
 * The `ws` transport: our own node:http server, WebSocket upgrades handed to crossws's
 * node adapter. The frame limit is ws's maxPayload (it closes with 1009 beyond it);
 * backpressure is checked per send in PeerSocket.
 */
export async function startNodeTransport({
  gate,
  handler,
  host,
  port,
  limits,
  log,
}: {
  gate: SocketGate;
  handler: HttpHandler;
  host: string;
  port: number;
  limits: SyncLimits;
  log: Logger;
}): Promise<Transport> {
  const ws = crossws({
    hooks: gate.hooks,
    serverOptions: { maxPayload: limits.maxFrameBytes, perMessageDeflate: false },
  });

  const http = createServer((req, res) => {
    void respond(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'http response failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request: HttpRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers: toHeaders(req),
      remoteAddress: req.socket.remoteAddress ?? '',
      readBody: (limit) => readBody(req, limit),
    };
    const response = await handler(request);
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  }

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (!gate.admits(req.socket.remoteAddress)) {
      socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    void ws.handleUpgrade(req, socket, head).catch((error: unknown) => {
      log.warn({ err: error }, 'websocket upgrade failed');
      socket.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (error) => log.error({ err: error }, 'http server error'));

  return {
    name: 'node',
    port: (http.address() as AddressInfo).port,
    stopAccepting: () =>
      new Promise<void>((resolve) => {
        // close() stops the listener; it calls back once the last connection is gone,
        // which for WebSockets is only after closeAll, so don't wait for that here.
        http.close();
        http.closeIdleConnections();
        resolve();
      }),
    close: async () => {
      ws.closeAll(1001, 'server shutting down', true);
      http.closeAllConnections();
      await new Promise<void>((resolve) => {
        if (!http.listening) resolve();
        else http.close(() => resolve());
      });
    },
  };
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  return headers;
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
