import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { presenceColor as colorFor } from '@cutline/shared/presence';
import { open, type Client } from './support/clients.ts';
import { frames, RawClient } from '@cutline/shared/raw-sync-client';
import { startSyncProcess, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { timelineOf, world, type TestUser } from './support/world.ts';

type State = Record<string, unknown> & { user?: { id: string; name: string; color: string } };

/** Resolves with `clientId`'s state as `observer` sees it, once `check` accepts it. */
function presenceOf(observer: Client, clientId: number, check: (s: State) => boolean): Promise<State> {
  const awareness = observer.provider.awareness;
  if (!awareness) throw new Error('no awareness');
  return new Promise((resolve) => {
    const evaluate = () => {
      const state = awareness.getStates().get(clientId) as State | undefined;
      if (state && check(state)) {
        awareness.off('change', evaluate);
        resolve(state);
      }
    };
    awareness.on('change', evaluate);
    evaluate();
  });
}

/**
 * A TCP relay in front of the server whose `cut()` stops forwarding in both directions
 * without closing anything: what a pulled cable or a frozen laptop looks like to sync.
 */
async function cuttableRelay(target: string): Promise<{ url: string; cut: () => void; close: () => void }> {
  const { hostname, port } = new URL(target);
  const pairs: Array<[Socket, Socket]> = [];
  const server: Server = createServer((inbound) => {
    const outbound = createConnection({ host: hostname, port: Number(port) });
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    for (const s of [inbound, outbound]) s.on('error', () => {});
    pairs.push([inbound, outbound]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut: () => {
      for (const [inbound, outbound] of pairs) {
        inbound.unpipe(outbound);
        outbound.unpipe(inbound);
        inbound.pause();
        outbound.pause();
      }
    },
    close: () => {
      for (const pair of pairs) for (const s of pair) s.destroy();
      server.close();
    },
  };
}

forEachTransport('presence', (variant) => {
  let db: TestDatabase;
  let sync: SyncProcess;
  let alice: TestUser;
  let bob: TestUser;
  let project: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    sync = await startSyncProcess({ variant, databaseUrl: db.url });
    const w = world(db.sql);
    alice = await w.user('Alice');
    bob = await w.user('Bob');
    project = await w.project(alice);
    await w.member(project, bob, 'viewer');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sync?.crash();
    await db?.drop();
  });

  it('[SY50] a client that claims another user’s identity is shown under its own', async () => {
    const a = await open({ url: sync.url, documentName: timelineOf(project), token: alice.token });
    const b = await open({ url: sync.url, documentName: timelineOf(project), token: bob.token });
    clients.push(a, b);
    b.provider.setAwarenessField('user', { id: alice.id, name: 'Alice', color: '#000000', admin: true });
    b.provider.setAwarenessField('playhead', 1_500_000);
    const seen = await presenceOf(a, b.doc.clientID, (s) => s.playhead === 1_500_000);
    expect(seen.user).toEqual({ id: bob.id, name: 'Bob', color: colorFor(bob.id) });
  });

  it('[SY51] view fields are shape-checked; unknown and malformed fields are dropped', async () => {
    const a = await open({ url: sync.url, documentName: timelineOf(project), token: alice.token });
    const b = await open({ url: sync.url, documentName: timelineOf(project), token: bob.token });
    clients.push(a, b);
    b.provider.awareness?.setLocalState({
      playhead: 2_000_000,
      selection: { clipIds: ['clip_1', 'clip_2'], trackIds: ['t1'] },
      viewport: { start: 0, end: 10_000_000, scrollY: 40 },
      cursor: { time: 5, trackId: 'bad id with spaces' },
      status: 'away',
      html: '<img src=x onerror=alert(1)>',
      huge: 'x'.repeat(4000),
      step: 1,
    });
    const seen = await presenceOf(a, b.doc.clientID, (s) => s.playhead === 2_000_000);
    expect(seen).toEqual({
      user: { id: bob.id, name: 'Bob', color: colorFor(bob.id) },
      playhead: 2_000_000,
      selection: { clipIds: ['clip_1', 'clip_2'], trackIds: ['t1'] },
      viewport: { start: 0, end: 10_000_000, scrollY: 40 },
      status: 'away',
    });
    b.provider.awareness?.setLocalState({ playhead: -1, selection: { clipIds: Array.from({ length: 500 }, (_, i) => `c${i}`) }, step: 2, viewport: { start: 5, end: 1 } });
    const second = await presenceOf(a, b.doc.clientID, (s) => !('playhead' in s));
    expect(second).toEqual({ user: { id: bob.id, name: 'Bob', color: colorFor(bob.id) } });
  });

  it('[SY52] a connection cannot write the awareness entry of someone else’s client id', async () => {
    const a = await open({ url: sync.url, documentName: timelineOf(project), token: alice.token });
    const observer = await open({ url: sync.url, documentName: timelineOf(project), token: alice.token });
    clients.push(a, observer);
    a.provider.setAwarenessField('playhead', 42);
    await presenceOf(observer, a.doc.clientID, (s) => s.playhead === 42);

    const mallory = await RawClient.connect(sync.url);
    await mallory.authenticate(timelineOf(project), bob.token);
    // Overwrite Alice's entry (higher clock), then a state of its own as an end marker:
    // the server handles one socket's frames in order.
    await mallory.send(frames.awareness(timelineOf(project), [{ clientId: a.doc.clientID, clock: 1_000, state: { playhead: 666 } }]));
    const ownId = 424_242;
    await mallory.send(frames.awareness(timelineOf(project), [{ clientId: ownId, clock: 1, state: { playhead: 7 } }]));
    const marker = await presenceOf(observer, ownId, (s) => s.playhead === 7);
    expect(marker.user?.id).toBe(bob.id);
    const alices = observer.provider.awareness?.getStates().get(a.doc.clientID) as State;
    expect(alices.playhead).toBe(42);
    expect(alices.user?.id).toBe(alice.id);
    mallory.close();
  });

  it('[SY53] an awareness state over the size limit closes that socket only', async () => {
    const bystander = await open({ url: sync.url, documentName: timelineOf(project), token: alice.token });
    clients.push(bystander);
    const raw = await RawClient.connect(sync.url);
    await raw.authenticate(timelineOf(project), bob.token);
    await raw.send(frames.awareness(timelineOf(project), [{ clientId: 9_999, clock: 1, state: { pad: 'x'.repeat(20_000) } }]));
    expect((await raw.closed).code).toBe(1007);
    bystander.doc.getMap('probe').set('still fine', true);
    await bystander.acked();
  });

  it('[SY54] a client that vanishes without closing its socket leaves presence within 5 s', async () => {
    const relay = await cuttableRelay(sync.url);
    const observer = await open({ url: sync.url, documentName: timelineOf(project), token: alice.token });
    const gone = await open({ url: relay.url, documentName: timelineOf(project), token: bob.token });
    clients.push(observer, gone);
    gone.provider.setAwarenessField('playhead', 3_000_000);
    await presenceOf(observer, gone.doc.clientID, (s) => s.playhead === 3_000_000);
    // The server pinged this socket when it opened; the Pong went out before the awareness
    // update above (one socket, in order), so it is held to the short deadline now.
    const awareness = observer.provider.awareness;
    if (!awareness) throw new Error('no awareness');
    const cutAt = Date.now();
    relay.cut();
    const removedAfter = await new Promise<number>((resolve) => {
      const check = () => {
        if (!awareness.getStates().has(gone.doc.clientID)) {
          awareness.off('change', check);
          resolve(Date.now() - cutAt);
        }
      };
      awareness.on('change', check);
    });
    expect(removedAfter).toBeLessThan(5000);
    relay.close();
  });

  it('[SY54] a client that reconnects with its old client id is removed again when it leaves', async () => {
    const observer = await open({ url: sync.url, documentName: timelineOf(project), token: alice.token });
    const b = await open({ url: sync.url, documentName: timelineOf(project), token: bob.token });
    clients.push(observer, b);
    b.provider.setAwarenessField('playhead', 1_000_000);
    await presenceOf(observer, b.doc.clientID, (s) => s.playhead === 1_000_000);
    const awareness = observer.provider.awareness;
    if (!awareness) throw new Error('no awareness');
    const removed = () =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (awareness.getStates().has(b.doc.clientID)) return;
          awareness.off('change', check);
          resolve();
        };
        awareness.on('change', check);
        check();
      });
    const down = new Promise<void>((resolve) => {
      const on = ({ status }: { status: string }) => {
        if (status !== 'disconnected') return;
        b.socket.off('status', on);
        resolve();
      };
      b.socket.on('status', on);
    });
    b.socket.disconnect();
    await Promise.all([removed(), down]);
    // Same Y.Doc, same client id: the provider re-sends the state at its old clock; the
    // editor then renews it (a new clock) so everyone sees it again.
    const resynced = new Promise<void>((resolve) => {
      const on = ({ state }: { state: boolean }) => {
        if (!state) return;
        b.provider.off('synced', on);
        resolve();
      };
      b.provider.on('synced', on);
    });
    void b.socket.connect();
    await resynced;
    b.provider.setAwarenessField('playhead', 2_000_000);
    await presenceOf(observer, b.doc.clientID, (s) => s.playhead === 2_000_000);
    // Leaving removes it at once, not after y-protocols' 30 s timeout.
    const leftAt = Date.now();
    b.destroy();
    await removed();
    expect(Date.now() - leftAt).toBeLessThan(5000);
  });
});
