import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Merges a snapshot and update rows into one state on a worker thread. Compaction is
 * background work; done on the main thread it would stall every client of this node for
 * as long as the merge takes (tens of ms for a busy document), which shows up directly
 * in edit latency. The worker loads Yjs itself; only bytes cross the thread boundary.
 *
 * The worker's code is inline (plain CommonJS) so it runs the same from the TypeScript
 * sources on Node 24 and from the Node 20 bundle, which has no separate worker file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', ({ id, snapshot, updates }) => {
  try {
    const doc = new Y.Doc();
    let skipped = 0;
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update);
      } catch {
        skipped += 1;
      }
    }
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    parentPort.postMessage({ id, state, skipped }, [state.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

type Reply = { id: number; state?: Uint8Array; skipped?: number; error?: string };
type Waiter = { resolve: (r: { state: Uint8Array; skipped: number }) => void; reject: (e: Error) => void };

export class MergeWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const yjs = createRequire(import.meta.url).resolve('yjs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs } });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.state) waiter.resolve({ state: reply.state, skipped: reply.skipped ?? 0 });
      else waiter.reject(new Error(`merge failed: ${reply.error ?? 'unknown'}`));
    });
    const fail = (error: Error) => {
      this.worker = null;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`merge worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  merge(snapshot: Uint8Array | null, updates: readonly Uint8Array[]): Promise<{ state: Uint8Array; skipped: number }> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, snapshot, updates });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
