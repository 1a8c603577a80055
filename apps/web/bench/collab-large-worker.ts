/**
 * One load-generator thread of the large collab phase (bench/collab-large.ts): a share
 * of the editors as protocol-level clients. Each speaks the Hocuspocus wire format over
 * its own WebSocket, authenticates with its real sync ticket, completes the first sync
 * (the server's state, applied once into a small local Y.Doc) and from then on only
 * sends: its own clip moves (applyCommand on that doc, sent as the transaction's own
 * update, so it builds only on state the server has — SY31–SY33 in apps/sync/SPEC.md)
 * and its playhead (y-protocols awareness). Receiving costs a regex over the frame bytes:
 * nothing is decoded or applied, so 199 receivers per edit cost this thread little.
 *
 * Markers: an edit writes `~e<editor>.<seq>~` under its clip's `benchEdit` key (a field
 * the timeline's readers ignore, TL8) in the same transaction as the move; a playhead is
 * `seq * 1000 + editor` µs, found as `"playhead":<n>` in the awareness JSON.
 * Times are wall-clock ms with sub-ms precision (performance.timeOrigin + now()), the
 * same in every thread.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { applyCommand, originFor } from '@cutline/timeline';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';

export type CrowdClient = { index: number; userId: string; token: string; clipId: string; slotFrame: number; url: string };
export type CrowdSetup = { documentName: string; clients: CrowdClient[]; fps: number; editsPerSecond: number; presenceHz: number };
export type ToWorker = { type: 'start'; warmupUntil: number; stopAt: number } | { type: 'count' } | { type: 'report' };
export type FromWorker =
  | { type: 'connected' }
  | { type: 'count'; receipts: number }
  | { type: 'report'; sent: Array<[string, number]>; received: Array<[string, number, number]>; loopDelayP99Ms: number };

const SYNC = 0;
const AWARENESS = 1;
const SYNC_REPLY = 4;
const STEP1 = 0;
const STEP2 = 1;
const PING = 9;
const PONG = new Uint8Array([10]);
const MARKERS = /~e(\d+)\.(\d+)~|"playhead":(\d+)/g;

const now = () => performance.timeOrigin + performance.now();

function syncStep2(documentName: string, update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, documentName);
  encoding.writeVarUint(e, SYNC);
  encoding.writeVarUint(e, STEP2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

function awarenessFrame(documentName: string, awareness: Awareness): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, documentName);
  encoding.writeVarUint(e, AWARENESS);
  encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, [awareness.clientID]));
  return encoding.toUint8Array(e);
}

type Editor = { spec: CrowdClient; client: RawClient; doc: Y.Doc; awareness: Awareness };

/** Connects, authenticates as a writer and takes the server's state once (its SyncStep2). */
async function connect(setup: CrowdSetup, spec: CrowdClient): Promise<Editor> {
  const { documentName } = setup;
  const client = await RawClient.connect(spec.url);
  // Answered like @hocuspocus/provider v4 does, so sync keeps these sockets by the same
  // liveness rule as a real editor's (SY54).
  client.ws.on('message', (data: Buffer) => {
    if (data.length === 1 && data[0] === PING) void client.send(PONG);
  });
  const scope = await client.authenticate(documentName, spec.token);
  if (scope !== 'read-write') throw new Error(`editor ${spec.index} got scope ${scope}, not read-write`);
  const doc = new Y.Doc();
  // Along with its SyncStep2 the server sends a SyncStep1 of its own (a SyncReply),
  // answered like a provider does. Both are handled here, once, before any edit.
  let loaded = false;
  let answered = false;
  const synced = new Promise<void>((resolve) => {
    const onMessage = (data: Buffer) => {
      if (data.length < 2) return; // a Ping
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarString(decoder) !== documentName) return;
      const type = decoding.readVarUint(decoder);
      if (type !== SYNC && type !== SYNC_REPLY) return;
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === STEP2 && !loaded) {
        Y.applyUpdate(doc, payload);
        loaded = true;
      } else if (step === STEP1 && !answered) {
        void client.send(syncStep2(documentName, Y.encodeStateAsUpdate(doc, payload)));
        answered = true;
      }
      // From here on this editor only sends: the rest is read by the marker scan.
      if (loaded && answered) {
        client.ws.off('message', onMessage);
        resolve();
      }
    };
    client.ws.on('message', onMessage);
  });
  await client.send(frames.syncStep1(documentName, Y.encodeStateVector(doc)));
  await Promise.race([synced, client.closed.then(({ code, reason }) => Promise.reject(new Error(`editor ${spec.index}: closed ${code} ${reason}`)))]);
  return { spec, client, doc, awareness: new Awareness(doc) };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('collab-large-worker runs as a worker thread');
  const setup = workerData as CrowdSetup;
  const editors: Editor[] = [];
  for (let i = 0; i < setup.clients.length; i += 10) {
    editors.push(...(await Promise.all(setup.clients.slice(i, i + 10).map((spec) => connect(setup, spec)))));
  }

  const sent = new Map<string, number>();
  const received = new Map<string, Map<number, number>>();
  let receipts = 0;
  for (const { spec, client } of editors) {
    const me = spec.index;
    client.ws.on('message', (data: Buffer) => {
      const at = now();
      for (const m of data.toString('latin1').matchAll(MARKERS)) {
        let key: string;
        if (m[3] !== undefined) {
          const us = Number(m[3]);
          if (us % 1000 === me) continue;
          key = `presence:${us % 1000}:${Math.floor(us / 1000)}`;
        } else {
          if (Number(m[1]) === me) continue;
          key = `edit:${m[1]}:${m[2]}`;
        }
        let byReceiver = received.get(key);
        if (!byReceiver) received.set(key, (byReceiver = new Map()));
        if (byReceiver.has(me)) continue;
        byReceiver.set(me, at);
        receipts += 1;
      }
    });
  }

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  const start = (warmupUntil: number, stopAt: number) => {
    loopDelay.enable();
    for (const { spec, client, doc, awareness } of editors) {
      const origin = originFor('user', spec.userId);
      let edits = 0;
      let moves = 0;
      let update: Uint8Array | null = null;
      // The transaction's own update: exactly this edit, on top of what the server has.
      doc.on('update', (u: Uint8Array) => (update = u));
      const edit = () => {
        if (now() >= stopAt) return;
        edits += 1;
        const frame = spec.slotFrame + (edits % 299) + 1;
        const at = now();
        update = null;
        doc.transact(() => {
          applyCommand(doc, { type: 'moveClip', clipId: spec.clipId, start: frame / setup.fps }, origin);
          (doc.getMap('clips').get(spec.clipId) as Y.Map<unknown>).set('benchEdit', `~e${spec.index}.${edits}~`);
        }, origin);
        if (update) void client.send(frames.update(setup.documentName, update));
        if (at >= warmupUntil) sent.set(`edit:${spec.index}:${edits}`, at);
      };
      const move = () => {
        if (now() >= stopAt) return;
        moves += 1;
        const at = now();
        awareness.setLocalStateField('playhead', moves * 1000 + spec.index);
        void client.send(awarenessFrame(setup.documentName, awareness));
        if (at >= warmupUntil) sent.set(`presence:${spec.index}:${moves}`, at);
      };
      // Staggered, so two hundred people do not edit in lockstep.
      const jitter = Math.random() * 2000;
      timers.push(
        setTimeout(() => {
          timers.push(setInterval(edit, 1000 / setup.editsPerSecond), setInterval(move, 1000 / setup.presenceHz));
        }, jitter),
      );
    }
  };

  port.on('message', (message: ToWorker) => {
    if (message.type === 'start') start(message.warmupUntil, message.stopAt);
    else if (message.type === 'count') port.postMessage({ type: 'count', receipts } satisfies FromWorker);
    else {
      for (const t of timers) clearInterval(t);
      loopDelay.disable();
      const flat: Array<[string, number, number]> = [];
      for (const [key, byReceiver] of received) for (const [receiver, at] of byReceiver) flat.push([key, receiver, at]);
      port.postMessage({ type: 'report', sent: [...sent], received: flat, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 } satisfies FromWorker);
      for (const { client, awareness } of editors) {
        awareness.destroy();
        client.close();
      }
      port.close();
    }
  });
  port.postMessage({ type: 'connected' } satisfies FromWorker);
}

await main();
