import * as Y from 'yjs';
import type { Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import { MergeWorker } from './merge-worker.ts';
import type { StoredUpdate } from '@cutline/shared/document-log';
import { compactDocument } from './update-log.ts';

/** Rebuilds the state of snapshot + rows the way a load does, then encodes it (GC applied). */
export function mergeState(snapshot: Uint8Array | null, updates: readonly StoredUpdate[]): { state: Uint8Array; skipped: number } {
  const doc = new Y.Doc();
  let skipped = 0;
  try {
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (const row of updates) {
      try {
        Y.applyUpdate(doc, row.update);
      } catch {
        // Same rule as a load (SY13): the row was accepted live and failed there too.
        skipped += 1;
      }
    }
    return { state: Y.encodeStateAsUpdate(doc), skipped };
  } finally {
    doc.destroy();
  }
}

/**
 * Background compaction (SPEC.md SY12): documents are queued when their log grows, or
 * when they are unloaded, and compacted one at a time off the request path — the merge
 * itself on a worker thread, so it never stalls clients. A failure leaves the log
 * exactly as it was; the next trigger retries.
 */
export class Compactor {
  private readonly queue = new Set<string>();
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly sql: Sql;
  private readonly log: Logger;
  private readonly metrics: SyncMetrics;
  private readonly maxUpdates: number;
  private readonly listeners = new Set<(documentName: string) => void>();
  private readonly worker = new MergeWorker();

  constructor({ sql, log, metrics, maxUpdates = 20_000 }: { sql: Sql; log: Logger; metrics: SyncMetrics; maxUpdates?: number }) {
    this.sql = sql;
    this.log = log;
    this.metrics = metrics;
    this.maxUpdates = maxUpdates;
  }

  schedule(documentName: string): void {
    if (this.stopped) return;
    this.queue.add(documentName);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Compacts one document now (tests, and the queue below). */
  async compact(documentName: string, minUpdates = 1): Promise<boolean> {
    try {
      const result = await compactDocument({
        sql: this.sql,
        documentName,
        minUpdates,
        maxUpdates: this.maxUpdates,
        merge: async (snapshot, updates) => {
          const { state, skipped } = await this.worker.merge(
            snapshot,
            updates.map((u) => u.update),
          );
          if (skipped > 0) this.log.warn({ documentName, skipped }, 'compaction skipped updates Yjs could not apply');
          return state;
        },
      });
      if (result.compacted) {
        this.metrics.compactions.inc();
        for (const listener of this.listeners) listener(documentName);
        this.log.debug({ documentName, merged: result.merged, bytes: result.bytes }, 'compacted');
      }
      return result.compacted;
    } catch (error) {
      this.metrics.compactionFailures.inc();
      this.log.warn({ documentName, err: error }, 'compaction failed; the log is unchanged');
      return false;
    }
  }

  /** Resolves after the next compaction of `documentName` is written. */
  nextCompaction(documentName: string): Promise<void> {
    return new Promise((resolve) => {
      const listener = (name: string) => {
        if (name !== documentName) return;
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }

  private async drain(): Promise<void> {
    // Yield first so a burst of schedule() calls is collected into one pass.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (!this.stopped && this.queue.size > 0) {
      const [next] = this.queue;
      if (next === undefined) break;
      this.queue.delete(next);
      await this.compact(next, 2);
    }
  }

  /** Stops taking work and waits for the compaction in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.clear();
    await this.running;
    await this.worker.close();
  }
}
