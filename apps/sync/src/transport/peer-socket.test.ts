import * as encoding from 'lib0/encoding';
import type { Peer } from 'crossws';
import { describe, expect, it } from 'vitest';
import { PeerSocket } from './peer-socket.ts';

function frame(address: string, type: number, value: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint(e, value);
  return encoding.toUint8Array(e);
}

function fakePeer() {
  const sent: string[] = [];
  const peer = {
    bufferedAmount: 0,
    send: (data: Uint8Array) => {
      sent.push(Buffer.from(data).toString('hex'));
      return 1;
    },
    close: () => {},
    terminate: () => {},
  };
  return { peer: peer as unknown as Peer, sent };
}

function deferred() {
  let resolve = () => {};
  let reject = (_e: unknown) => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('PeerSocket acknowledgements', () => {
  it('[SY10] holds SyncStatus frames until their gates open, in order, and lets every other frame through', async () => {
    const { peer, sent } = fakePeer();
    const socket = new PeerSocket({ peer, maxBufferedBytes: 1e9, onBackpressure: () => {} });
    const first = deferred();
    const second = deferred();
    socket.holdAck('doc', first.promise);
    socket.holdAck('doc', second.promise);
    const ack1 = frame('doc', 8, 1);
    const ack2 = frame('doc', 8, 1);
    const relayed = frame('doc', 0, 2);
    const otherDoc = frame('other', 8, 1);
    socket.send(ack1);
    socket.send(ack2);
    socket.send(relayed);
    socket.send(otherDoc);
    expect(sent).toEqual([hex(relayed), hex(otherDoc)]);
    second.resolve();
    await flush();
    expect(sent).toHaveLength(2);
    first.resolve();
    await flush();
    expect(sent.slice(2)).toEqual([hex(ack1), hex(ack2)]);
  });

  it('[SY10] never sends an acknowledgement whose update was not stored', async () => {
    const { peer, sent } = fakePeer();
    const socket = new PeerSocket({ peer, maxBufferedBytes: 1e9, onBackpressure: () => {} });
    const gate = deferred();
    socket.holdAck('doc', gate.promise);
    socket.send(frame('doc', 8, 1));
    gate.reject(new Error('disk full'));
    await flush();
    expect(sent).toEqual([]);
  });

  it('[SY26] drops a client whose send buffer passes the limit', () => {
    const { peer } = fakePeer();
    let terminated = false;
    let reported = false;
    (peer as unknown as { terminate: () => void }).terminate = () => (terminated = true);
    (peer as unknown as { bufferedAmount: number }).bufferedAmount = 2_000;
    const socket = new PeerSocket({ peer, maxBufferedBytes: 1_000, onBackpressure: () => (reported = true) });
    socket.send(frame('doc', 0, 2));
    expect({ terminated, reported, readyState: socket.readyState }).toEqual({ terminated: true, reported: true, readyState: 2 });
  });
});
