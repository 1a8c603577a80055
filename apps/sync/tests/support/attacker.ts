/**
 * A hostile client in its own process (as an attacker is), so the test process that
 * measures latency is not the one pushing hundreds of MiB into sockets. Run with
 * `node attacker.ts <url> <sockets> <frameBytes>`: it prepares its frame, prints `ready`,
 * attacks when a line arrives on stdin, and prints one JSON line when every socket has
 * been answered or closed: `{ sent, refusedUpgrades, closed }`.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import * as Y from 'yjs';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';

const [url = '', socketsArg = '1', frameArg = '1024'] = process.argv.slice(2);
const sockets = Number(socketsArg);
const frameBytes = Number(frameArg);

const big = new Y.Doc();
big.getText('t').insert(0, 'x'.repeat(Math.max(0, frameBytes - 4096)));
// One valid update just under the frame limit, for a document nobody may open.
const attackFrame = frames.update(`project/${crypto.randomUUID()}/timeline`, Y.encodeStateAsUpdate(big));

const lines = createInterface({ input: process.stdin });
const go = once(lines, 'line');
console.log('ready');
await go;

let sent = 0;
let refusedUpgrades = 0;
let closed = 0;
await Promise.all(
  Array.from({ length: sockets }, async () => {
    // A zero mask: the attacker does not pay for masking.
    const raw = await RawClient.connect(url, { zeroMask: true }).catch(() => undefined);
    if (!raw) {
      refusedUpgrades += 1;
      return;
    }
    await raw.send(attackFrame);
    sent += 1;
    // An answer to a later frame proves the server has taken the big one (or closed the socket).
    const answered = raw.next((m) => m.type === 2);
    await raw.send(frames.auth(`project/${crypto.randomUUID()}/timeline`, 'not-a-token'));
    const outcome = await Promise.race([answered.then(() => 'answered' as const), raw.closed.then(() => 'closed' as const)]);
    if (outcome === 'closed') closed += 1;
  }),
);
console.log(JSON.stringify({ sent, refusedUpgrades, closed }));
process.exit(0);
