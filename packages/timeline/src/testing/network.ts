// A simulated network in the style of Yjs's own TestConnector: every peer broadcasts its
// local updates; messages are delivered in random order, sometimes dropped, sometimes
// delivered twice; peers go offline and come back, syncing by state vectors (as
// y-protocols does on connect). Deterministic for a given PRNG.

import * as Y from 'yjs';
import type { PRNG } from 'lib0/prng';
import { bool, int32, real53 } from 'lib0/prng';

const REMOTE = Symbol('remote');

interface Message {
  readonly to: number;
  readonly update: Uint8Array;
}

export interface NetworkOptions {
  dropRate: number;
  duplicateRate: number;
}

export class Network {
  readonly docs: Y.Doc[];
  readonly online: boolean[];
  private queue: Message[] = [];
  private readonly gen: PRNG;
  private readonly options: NetworkOptions;

  constructor(gen: PRNG, docs: Y.Doc[], options: NetworkOptions) {
    this.gen = gen;
    this.docs = docs;
    this.options = options;
    this.online = docs.map(() => true);
    docs.forEach((doc, i) => {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        // Like a provider: broadcast what happened here, not what we received.
        if (origin === REMOTE || !this.online[i]) return;
        this.docs.forEach((_, j) => {
          if (j !== i && this.online[j]) this.queue.push({ to: j, update });
        });
      });
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  private receive(to: number, update: Uint8Array): void {
    const doc = this.docs[to];
    if (doc !== undefined) Y.applyUpdate(doc, update, REMOTE);
  }

  /** Deliver (or drop, or duplicate) up to `n` random queued messages. */
  deliver(n: number): void {
    for (let k = 0; k < n && this.queue.length > 0; k++) {
      const i = int32(this.gen, 0, this.queue.length - 1);
      const [msg] = this.queue.splice(i, 1);
      if (msg === undefined || !this.online[msg.to]) continue;
      if (real53(this.gen) < this.options.dropRate) continue;
      this.receive(msg.to, msg.update);
      if (real53(this.gen) < this.options.duplicateRate) this.queue.push(msg);
    }
  }

  disconnect(i: number): void {
    this.online[i] = false;
    this.queue = this.queue.filter((m) => m.to !== i);
  }

  /** Come back online and sync with every online peer by state vectors. */
  reconnect(i: number): void {
    this.online[i] = true;
    const doc = this.docs[i];
    if (doc === undefined) return;
    this.docs.forEach((other, j) => {
      if (j === i || !this.online[j]) return;
      const toOther = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other));
      const toMe = Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc));
      // The sync messages themselves may arrive in either order.
      if (bool(this.gen)) {
        this.receive(j, toOther);
        this.receive(i, toMe);
      } else {
        this.receive(i, toMe);
        this.receive(j, toOther);
      }
    });
  }

  /** Everyone online, all messages delivered, and a final full sync (repairs drops). */
  settle(): void {
    this.docs.forEach((_, i) => {
      if (!this.online[i]) this.reconnect(i);
    });
    this.options.dropRate = 0;
    this.options.duplicateRate = 0;
    this.deliver(Number.POSITIVE_INFINITY);
    this.docs.forEach((_, i) => this.reconnect(i));
  }
}
