// Worker heartbeats and the sweeper that frees the jobs of dead workers.
//
// Graphile Worker locks a job with the id of the pool that took it and only gives it to
// someone else after 4 hours. A render worker that is `kill -9`ed (or whose machine dies)
// would hold its render that long. Every pool (one per process) writes a heartbeat row
// every few seconds; every process also sweeps: pools silent for longer than `staleMs` are
// presumed dead and their jobs released with force_unlock_workers, so another worker takes
// them over on its next poll. Jobs locked by a pool with no heartbeat row at all (never
// registered: an older worker) are released once their lock is older than `orphanMs`.

import { hostname } from 'node:os';
import type { Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';

export type HeartbeatOptions = {
  /** How often a pool beats. */
  intervalMs?: number;
  /** Silence after which a pool is presumed dead. */
  staleMs?: number;
  /** How often this process looks for dead pools. */
  sweepMs?: number;
  /** Lock age after which a job held by an unknown pool is released. */
  orphanMs?: number;
};

export const HEARTBEAT_DEFAULTS = { intervalMs: 5_000, staleMs: 15_000, sweepMs: 5_000, orphanMs: 60_000 } as const;

export type Heartbeat = {
  /** `slots`: how many jobs the pool runs at once. */
  register(poolId: string, slots: number): Promise<void>;
  unregister(poolId: string): Promise<void>;
  /** One sweep now; returns the pool ids it released. */
  sweep(): Promise<string[]>;
  /** Job slots of all pools that beat recently, this process's included. */
  liveSlots(): Promise<number>;
  stop(): Promise<void>;
};

export function startHeartbeat({ sql, log, options = {} }: { sql: Sql; log: Logger; options?: HeartbeatOptions }): Heartbeat {
  const { intervalMs, staleMs, sweepMs, orphanMs } = { ...HEARTBEAT_DEFAULTS, ...options };
  const pools = new Map<string, number>();
  const host = hostname();
  let stopped = false;
  const quietly = (what: string) => (error: unknown) => {
    if (!stopped) log.warn({ err: error }, `render heartbeat: ${what} failed`);
  };

  const beat = async (entries: [string, number][]) => {
    if (entries.length === 0) return;
    await sql`
      insert into render_workers (worker_id, host, pid, slots)
      select id, ${host}, ${process.pid}, slots
      from unnest(${entries.map(([id]) => id)}::text[], ${entries.map(([, slots]) => slots)}::int[]) as t (id, slots)
      on conflict (worker_id) do update set heartbeat_at = now(), slots = excluded.slots`;
  };

  const sweep = async (): Promise<string[]> => {
    const [row] = await sql<{ ids: string[] | null }[]>`
      with stale as (
        select worker_id from render_workers where heartbeat_at < now() - make_interval(secs => ${staleMs / 1000})
      ), orphans as (
        select distinct j.locked_by as worker_id from graphile_worker.jobs j
        where j.locked_by is not null and j.locked_at < now() - make_interval(secs => ${orphanMs / 1000})
          and not exists (select 1 from render_workers w where w.worker_id = j.locked_by)
      )
      select array_agg(worker_id) as ids from (select worker_id from stale union select worker_id from orphans) dead`;
    const ids = (row?.ids ?? []).filter((id) => !pools.has(id));
    if (ids.length === 0) return [];
    await sql`select graphile_worker.force_unlock_workers(${ids}::text[])`;
    await sql`delete from render_workers where worker_id = any(${ids}::text[])`;
    log.warn({ workers: ids }, 'render heartbeat: released the jobs of workers that stopped beating');
    return ids;
  };

  const beatTimer = setInterval(() => void beat([...pools]).catch(quietly('beat')), intervalMs);
  const liveSlots = async (): Promise<number> => {
    const [row] = await sql<{ slots: number }[]>`
      select coalesce(sum(slots), 0)::int as slots from render_workers where heartbeat_at > now() - make_interval(secs => ${staleMs / 1000})`;
    return row?.slots ?? 0;
  };
  const sweepTimer = setInterval(() => void sweep().catch(quietly('sweep')), sweepMs);
  beatTimer.unref();
  sweepTimer.unref();

  return {
    async register(poolId, slots) {
      pools.set(poolId, slots);
      await beat([[poolId, slots]]);
    },
    async unregister(poolId) {
      pools.delete(poolId);
      await sql`delete from render_workers where worker_id = ${poolId}`;
    },
    sweep,
    liveSlots,
    async stop() {
      stopped = true;
      clearInterval(beatTimer);
      clearInterval(sweepTimer);
      const ids = [...pools.keys()];
      pools.clear();
      if (ids.length > 0) await sql`delete from render_workers where worker_id = any(${ids}::text[])`.catch(() => {});
    },
  };
}
