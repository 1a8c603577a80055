import type { Sql } from '@cutline/shared/db';
import { appendUpdates, type AppendRow } from './update-log.ts';

type Pending = { row: AppendRow; resolve: () => void; reject: (error: unknown) => void };

/**
 * Group commit for the update log (SPEC.md SY10). Every caller awaits its own row, but
 * rows that arrive while a commit is in flight share the next INSERT: with 50 clients
 * typing, one commit carries many updates and each waits for at most one commit plus its
 * own. A failed commit rejects every row in it; the callers refuse those messages.
 */
export class UpdateAppender {
  private queue: Pending[] = [];
  private inFlight = 0;
  private readonly sql: Sql;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;
  private readonly onCommit: (rows: number, seconds: number) => void;
  private idleWaiters: Array<() => void> = [];

  constructor({
    sql,
    // Relays wait for their commit (SY10): a row should not also wait for earlier commits
    // to finish. PostgreSQL flushes the WAL of concurrent commits together, so a few in
    // flight cost little more than one; the pool (10) keeps room for everything else.
    maxInFlight = 4,
    maxBatch = 256,
    onCommit = () => {},
  }: {
    sql: Sql;
    maxInFlight?: number;
    maxBatch?: number;
    onCommit?: (rows: number, seconds: number) => void;
  }) {
    this.sql = sql;
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
    this.onCommit = onCommit;
  }

  /** Resolves once the row is committed. */
  append(row: AppendRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.pump();
    });
  }

  /** Resolves when nothing is queued or in flight (graceful shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.commit(batch);
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const started = performance.now();
    try {
      await appendUpdates(
        this.sql,
        batch.map((p) => p.row),
      );
      this.onCommit(batch.length, (performance.now() - started) / 1000);
      for (const p of batch) p.resolve();
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.inFlight -= 1;
      this.pump();
      if (this.queue.length === 0 && this.inFlight === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }
}
