import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';

export type AuthOutcome = { ok: true; scope: string } | { ok: false; reason: string };

export type Client = {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  /** The server's answer to this document's authentication. */
  auth: Promise<AuthOutcome>;
  /** Resolves once the initial sync has arrived. */
  synced(): Promise<void>;
  /** Resolves once every change sent so far has been acknowledged (SyncStatus). */
  acked(): Promise<void>;
  /** Resolves when the server closes this document connection (CLOSE message) or the socket. */
  closed: Promise<string>;
  /** Resolves with the reason of any permission-denied answer, also one after "authenticated". */
  refused: Promise<string>;
  destroy(): void;
};

/** A real @hocuspocus/provider client on its own WebSocket. */
export function connect({ url, documentName, token, doc = new Y.Doc() }: { url: string; documentName: string; token: string; doc?: Y.Doc }): Client {
  const socket = new HocuspocusProviderWebsocket({ url, delay: 50, minDelay: 50, maxDelay: 500 });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: documentName, document: doc, token });
  // With a shared socket (one per browser tab, many documents) the provider must be attached.
  provider.attach();
  const auth = new Promise<AuthOutcome>((resolve) => {
    provider.on('authenticated', ({ scope }: { scope: string }) => resolve({ ok: true, scope }));
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => resolve({ ok: false, reason }));
  });
  // Hocuspocus answers "authenticated" before it loads the document; a load that fails
  // comes after as a permission-denied.
  const refused = new Promise<string>((resolve) => provider.on('authenticationFailed', ({ reason }: { reason: string }) => resolve(reason)));
  const closed = new Promise<string>((resolve) => {
    provider.on('close', ({ event }: { event: { reason?: string } }) => resolve(event.reason ?? ''));
  });
  return {
    doc,
    provider,
    socket,
    auth,
    closed,
    refused,
    synced: () =>
      new Promise<void>((resolve) => {
        if (provider.isSynced) return resolve();
        const on = ({ state }: { state: boolean }) => {
          if (!state) return;
          provider.off('synced', on);
          resolve();
        };
        provider.on('synced', on);
      }),
    acked: () =>
      new Promise<void>((resolve) => {
        if (provider.isSynced && provider.unsyncedChanges === 0) return resolve();
        const on = ({ number }: { number: number }) => {
          if (number !== 0) return;
          provider.off('unsyncedChanges', on);
          resolve();
        };
        provider.on('unsyncedChanges', on);
      }),
    destroy: () => {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** Connects and waits for the initial sync (or throws with the refusal reason). */
export async function open(args: { url: string; documentName: string; token: string; doc?: Y.Doc }): Promise<Client> {
  const client = connect(args);
  const outcome = await client.auth;
  if (!outcome.ok) {
    client.destroy();
    throw new Error(`refused: ${outcome.reason}`);
  }
  const failure = await Promise.race([client.synced().then(() => null), client.refused]);
  if (failure !== null) {
    client.destroy();
    throw new Error(`refused: ${failure}`);
  }
  return client;
}

/**
 * Resolves when `check` passes, re-evaluating it whenever one of the documents changes
 * (an event, not a timer). `timeoutMs` only turns a hang into a readable failure.
 */
export function until(docs: Y.Doc[], check: () => boolean, { timeoutMs = 30_000, what = 'condition' } = {}): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const listeners: Array<() => void> = [];
    const finish = (error?: Error) => {
      clearTimeout(timer);
      for (const off of listeners) off();
      if (error) reject(error);
      else resolve();
    };
    const evaluate = () => {
      if (check()) finish();
    };
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), timeoutMs);
    for (const doc of docs) {
      const on = () => queueMicrotask(evaluate);
      doc.on('update', on);
      listeners.push(() => doc.off('update', on));
    }
    evaluate();
  });
}

/**
 * Do all copies hold the same changes? State vectors alone are not enough: a deletion
 * adds no struct, so copies that differ only by a deletion still in flight share their
 * state vector. Snapshots compare the state vector and the delete set.
 */
export function sameState(docs: Y.Doc[]): boolean {
  const [first, ...rest] = docs;
  if (!first) return true;
  const reference = Y.snapshot(first);
  return rest.every((d) => Y.equalSnapshots(Y.snapshot(d), reference));
}
