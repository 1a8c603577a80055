// Process-wide pieces of the render farm: options, the cancel watch, the heartbeat.
//
// Cancel must stop FFmpeg within a second. cancelRender (web) publishes `render.updated`
// on the project events channel (PostgreSQL NOTIFY); every worker listens and aborts the
// jobs of that render at once. A NOTIFY can be missed (the listening connection was
// reconnecting), so each running job also polls its render's state twice a second.

import type { Sql } from '@cutline/shared/db';
import { subscribeProjectEvents } from '@cutline/shared/events';
import type { Logger } from '@cutline/shared/log';
import { startHeartbeat, type Heartbeat, type HeartbeatOptions } from './heartbeat.ts';
import { getRenderState } from './queries.ts';

export type RenderFarmOptions = {
  /**
   * FFmpeg threads per job (filters and encoder); null = FFmpeg's default, all cores.
   * With several jobs per machine (RENDER_CONCURRENCY or processes), 1 avoids oversubscribing.
   */
  threads?: number | null;
  /** Chunk length and the shortest render that is chunked (plan-chunks.ts). */
  chunkSeconds?: number;
  minChunkedSeconds?: number;
  /**
   * Chunk only when the farm has at least this many job slots alive (worker processes ×
   * RENDER_CONCURRENCY, from the heartbeats): with one slot, chunks run one after another
   * and only add start-ups and a join. Default 2.
   */
  minSlotsToChunk?: number;
  heartbeat?: HeartbeatOptions;
  /** How often a running job re-reads its render's state (the NOTIFY fallback). */
  cancelPollMs?: number;
  /** Minimum time between progress writes of one job. */
  progressIntervalMs?: number;
};

export type RenderWatch = {
  /** Aborts when the render is cancelled or failed elsewhere, or the worker shuts down. */
  readonly signal: AbortSignal;
  /** Why it was aborted: the render's state, or 'shutdown'. */
  reason(): 'cancelled' | 'failed' | 'finished' | 'shutdown' | null;
  release(): void;
};

export type RenderFarm = {
  readonly options: Required<Omit<RenderFarmOptions, 'heartbeat' | 'chunkSeconds' | 'minChunkedSeconds'>> & Pick<RenderFarmOptions, 'chunkSeconds' | 'minChunkedSeconds'>;
  readonly heartbeat: Heartbeat;
  watch(renderId: string, shutdown: AbortSignal): RenderWatch;
  stop(): Promise<void>;
};

type Entry = { controller: AbortController; why: 'cancelled' | 'failed' | 'finished' | 'shutdown' | null };

export async function startRenderFarm({ sql, log, options = {} }: { sql: Sql; log: Logger; options?: RenderFarmOptions }): Promise<RenderFarm> {
  const watches = new Map<string, Set<Entry>>();
  const abortRender = (renderId: string, why: 'cancelled' | 'failed' | 'finished') => {
    for (const entry of watches.get(renderId) ?? []) {
      if (entry.controller.signal.aborted) continue;
      entry.why = why;
      entry.controller.abort(new Error(`render ${renderId} ${why}`));
    }
  };
  const unsubscribe = await subscribeProjectEvents(sql, (event) => {
    if (event.type !== 'render.updated') return;
    if (event.state === 'cancelled' || event.state === 'failed') abortRender(event.renderId, event.state);
  });
  const heartbeat = startHeartbeat({ sql, log, ...(options.heartbeat ? { options: options.heartbeat } : {}) });
  const cancelPollMs = options.cancelPollMs ?? 500;

  return {
    options: {
      threads: options.threads ?? null,
      cancelPollMs,
      progressIntervalMs: options.progressIntervalMs ?? 250,
      minSlotsToChunk: options.minSlotsToChunk ?? 2,
      ...(options.chunkSeconds !== undefined ? { chunkSeconds: options.chunkSeconds } : {}),
      ...(options.minChunkedSeconds !== undefined ? { minChunkedSeconds: options.minChunkedSeconds } : {}),
    },
    heartbeat,
    watch(renderId, shutdown) {
      const entry: Entry = { controller: new AbortController(), why: null };
      let set = watches.get(renderId);
      if (!set) watches.set(renderId, (set = new Set()));
      set.add(entry);
      const onShutdown = () => {
        if (entry.controller.signal.aborted) return;
        entry.why = 'shutdown';
        entry.controller.abort(new Error('worker shutting down'));
      };
      if (shutdown.aborted) onShutdown();
      shutdown.addEventListener('abort', onShutdown, { once: true });
      let polling = false;
      const poll = setInterval(() => {
        if (polling || entry.controller.signal.aborted) return;
        polling = true;
        getRenderState(sql, renderId)
          .then((state) => {
            if (state === 'cancelled' || state === 'failed') abortRender(renderId, state);
            else if (state === 'succeeded' || state === null) abortRender(renderId, 'finished');
          })
          .catch(() => {})
          .finally(() => (polling = false));
      }, cancelPollMs);
      return {
        signal: entry.controller.signal,
        reason: () => entry.why,
        release() {
          clearInterval(poll);
          shutdown.removeEventListener('abort', onShutdown);
          set.delete(entry);
          if (set.size === 0) watches.delete(renderId);
        },
      };
    },
    async stop() {
      await heartbeat.stop();
      await unsubscribe().catch(() => {});
    },
  };
}
