// The benchmark's baseline: a bare WebSocket relay that sends every binary message it
// receives to every connected client (the sender included, as Hocuspocus does), on the
// same transport library as the sync variant it is compared with. No parsing, no
// storage, no Yjs. Plain JavaScript so it runs on the Node 20 that loads native uWS.
//
//   node bench/relay.mjs ws|uws <port>
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [mode, portArg] = process.argv.slice(2);
const port = Number(portArg);
const require = createRequire(import.meta.url);

if (mode === 'uws') {
  const dir = dirname(require.resolve('uWebSockets.js/package.json'));
  const uws = require(join(dir, 'binaries', `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`));
  const app = uws.App();
  app.ws('/*', {
    maxPayloadLength: 8 * 1024 * 1024,
    maxBackpressure: 16 * 1024 * 1024,
    idleTimeout: 120,
    open: (ws) => ws.subscribe('all'),
    message: (_ws, message, isBinary) => {
      app.publish('all', message, isBinary);
    },
  });
  app.listen('127.0.0.1', port, (socket) => {
    if (!socket) process.exit(1);
    console.log(`relay listening ${port}`);
  });
} else {
  const { WebSocketServer } = require('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 8 * 1024 * 1024 });
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      for (const client of wss.clients) client.send(data, { binary: isBinary });
    });
  });
  wss.on('listening', () => console.log(`relay listening ${port}`));
}
