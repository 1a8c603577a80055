import crosswsUws from 'crossws/adapters/uws';
import type { HttpRequest as UwsHttpRequest, HttpResponse as UwsHttpResponse, us_listen_socket, us_socket_context_t, WebSocketBehavior } from 'uWebSockets.js';
import type { Logger } from '@cutline/shared/log';
import type { SyncLimits } from '../limits/limits.ts';
import { statusText, type HttpHandler, type HttpRequest } from '../http/types.ts';
import type { SocketGate } from './gate.ts';
import type { UwsModule } from './load-uws.ts';
import type { Transport } from './transport.ts';

/**
 * The uWebSockets.js transport: a uWS App serves the WebSocket (through crossws's uws
 * adapter) and the HTTP routes on one port.
 *
 * uWS traps, handled here on purpose:
 * - Its defaults (16 KiB maxPayloadLength, 64 KiB maxBackpressure) silently cut off
 *   large Yjs updates; both are set from SYNC_MAX_FRAME_BYTES, and a socket past the
 *   backpressure limit is closed (closeOnBackpressureLimit) rather than left to drop.
 * - An HttpRequest is only valid synchronously inside its handler. crossws's upgrade
 *   handler awaits before reading Sec-WebSocket-* headers, so this file upgrades itself,
 *   synchronously, handing crossws the user data it expects.
 * - Message ArrayBuffers are reused after the callback (the gate copies them), and HTTP
 *   bodies must be collected with onData attached in the handler's synchronous part.
 */
export async function startUwsTransport({
  uws,
  gate,
  handler,
  host,
  port,
  limits,
  log,
}: {
  uws: UwsModule;
  gate: SocketGate;
  handler: HttpHandler;
  host: string;
  port: number;
  limits: SyncLimits;
  log: Logger;
}): Promise<Transport> {
  const adapter = crosswsUws({
    hooks: gate.hooks,
    uws: {
      maxPayloadLength: limits.maxFrameBytes,
      maxBackpressure: limits.maxBackpressureBytes,
      closeOnBackpressureLimit: 1,
      idleTimeout: 120,
      sendPingsAutomatically: true,
      compression: uws.DISABLED,
    },
  });

  const upgrade = (res: UwsHttpResponse, req: UwsHttpRequest, context: us_socket_context_t): void => {
    const remoteAddress = new TextDecoder().decode(res.getRemoteAddressAsText());
    if (!gate.admits(remoteAddress)) {
      res.writeStatus('429 Too Many Requests').end();
      return;
    }
    const headers = new Headers();
    req.forEach((key, value) => headers.append(key, value));
    const query = req.getQuery();
    const webReq = new Request(`http://${headers.get('host') ?? 'localhost'}${req.getUrl()}${query ? `?${query}` : ''}`, { headers });
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    res.upgrade({ webReq, protocol, extensions, context: {}, namespace: '/', remoteAddress }, key, protocol, extensions, context);
  };

  const behavior = { ...adapter.websocket, upgrade } as WebSocketBehavior<unknown>;
  const app = uws.App();
  app.ws('/*', behavior);
  app.any('/*', (res, req) => serveHttp(res, req, handler, limits, log));

  const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(host, port, (socket) => (socket ? resolve(socket) : reject(new Error(`uWebSockets.js could not listen on ${host}:${port}`))));
  });
  let listening = true;
  const stopListening = () => {
    if (!listening) return;
    listening = false;
    uws.us_listen_socket_close(listenSocket);
  };

  return {
    name: 'uws',
    port: uws.us_socket_local_port(listenSocket),
    stopAccepting: async () => stopListening(),
    close: async () => {
      stopListening();
      gate.closeAll(1001, 'server shutting down');
    },
  };
}

function serveHttp(res: UwsHttpResponse, req: UwsHttpRequest, handler: HttpHandler, limits: SyncLimits, log: Logger): void {
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  const headers = new Headers();
  req.forEach((key, value) => headers.append(key, value));
  const method = req.getMethod().toUpperCase();
  const path = req.getUrl();
  const remoteAddress = new TextDecoder().decode(res.getRemoteAddressAsText());

  // The body has to be collected now; the handler asks for it later.
  const limit = limits.maxEditBodyBytes;
  const chunks: Uint8Array[] = [];
  let size = 0;
  let over = false;
  const body = new Promise<Uint8Array | null>((resolve) => {
    res.onData((chunk, isLast) => {
      size += chunk.byteLength;
      if (size > limit) over = true;
      // The chunk's memory is uWS's and only valid inside this callback.
      else chunks.push(new Uint8Array(chunk.slice(0)));
      if (isLast) resolve(over ? null : Buffer.concat(chunks));
    });
  });

  const request: HttpRequest = { method, path, headers, remoteAddress, readBody: () => body };
  handler(request).then(
    (response) => {
      if (aborted) return;
      res.cork(() => {
        res.writeStatus(`${response.status} ${statusText(response.status)}`);
        for (const [key, value] of Object.entries(response.headers ?? {})) res.writeHeader(key, value);
        res.end(response.body);
      });
    },
    (error: unknown) => {
      log.error({ err: error }, 'http response failed');
      if (!aborted) res.cork(() => res.writeStatus('500 Internal Server Error').end());
    },
  );
}
