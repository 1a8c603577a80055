import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Histogram, MetricsRegistry, RateMeter } from './metrics.ts';

/** Live numbers the gauges read when /metrics is scraped. */
export type GaugeSources = {
  transport: () => string;
  webSockets: () => number;
  documentConnections: () => number;
  openDocuments: () => number;
};

export type RejectReason =
  | 'malformed_frame'
  | 'invalid_update'
  | 'read_only'
  | 'not_author'
  | 'rate_limited'
  | 'frame_too_large'
  | 'document_too_large'
  | 'unknown_message_type'
  | 'backpressure'
  | 'draining'
  | 'read_limited'
  | 'auth_timeout'
  | 'unauthenticated_budget';

export type SyncMetrics = {
  registry: MetricsRegistry;
  updates: Counter;
  updateRate: RateMeter;
  persistSeconds: Histogram;
  rejectedMessages: Counter;
  refusedConnections: Counter;
  authFailures: Counter;
  revocations: Counter;
  awarenessDropped: Counter;
  loads: Counter;
  loadFailures: Counter;
  loadSkippedUpdates: Counter;
  compactions: Counter;
  compactionFailures: Counter;
  recoveries: Counter;
  edits: Counter;
  unhandledRejections: Counter;
  hookFailures: Counter;
  stateAnswers: Counter;
  rejected(reason: RejectReason): void;
};

/** Every metric sync exports (SPEC.md SY40), by name. */
export function createSyncMetrics(sources: GaugeSources): SyncMetrics {
  const registry = new MetricsRegistry();
  const updateRate = new RateMeter(10);
  registry.gauge('sync_transport_info', 'The WebSocket transport this process runs (value is always 1).', () => [
    [{ transport: sources.transport() }, 1],
  ]);
  registry.gauge('sync_connections', 'Open WebSocket connections.', sources.webSockets);
  registry.gauge('sync_document_connections', 'Authenticated document connections (one WebSocket may carry several).', sources.documentConnections);
  registry.gauge('sync_open_documents', 'Documents loaded in memory.', sources.openDocuments);
  registry.gauge('sync_updates_per_second', 'Document updates accepted per second, averaged over the last 10 s.', () => updateRate.perSecond());
  const updates = registry.counter('sync_updates_total', 'Document updates accepted and appended to the log.');
  const persistSeconds = registry.histogram(
    'sync_persist_seconds',
    'Time to append a batch of updates to doc_updates (group commit), seconds.',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );
  const rejectedMessages = registry.counter('sync_rejected_messages_total', 'Incoming messages refused, by reason.');
  const refusedConnections = registry.counter('sync_refused_connections_total', 'WebSocket upgrades or document connections refused, by reason.');
  const authFailures = registry.counter('sync_auth_failures_total', 'Failed document authentications, by reason.');
  const revocations = registry.counter('sync_revocations_total', 'Document connections closed or downgraded because access was revoked, by kind.');
  const awarenessDropped = registry.counter('sync_awareness_fields_dropped_total', 'Awareness fields or states dropped by the presence policy, by reason.');
  const loads = registry.counter('sync_document_loads_total', 'Documents loaded from the log.');
  const loadFailures = registry.counter('sync_document_load_failures_total', 'Document loads that failed (the connection was refused).');
  const loadSkippedUpdates = registry.counter('sync_document_load_skipped_updates_total', 'Stored updates Yjs could not apply while loading.');
  const compactions = registry.counter('sync_compactions_total', 'Update-log compactions written.');
  const compactionFailures = registry.counter('sync_compaction_failures_total', 'Compactions that failed (the log is left as it was).');
  const recoveries = registry.counter('sync_document_recoveries_total', 'Documents whose whole state was stored again after a failed append.');
  const edits = registry.counter('sync_internal_edits_total', 'Server-side edit batches, by result.');
  const unhandledRejections = registry.counter('sync_unhandled_rejections_total', 'Promise rejections nobody handled (logged, never fatal).');
  const hookFailures = registry.counter('sync_hook_failures_total', 'Un-awaited Hocuspocus hooks that threw, by hook.');
  const stateAnswers = registry.counter('sync_state_answers_total', 'SyncStep1 answers, by whether the encoded state came from the per-version cache.');
  // Event-loop delay: what every client of this node waits on top of the network.
  // The histogram records whole timer intervals; the delay is what exceeds the interval.
  const RESOLUTION_MS = 10;
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loop.enable();
  const late = (ns: number) => Math.max(0, ns / 1e9 - RESOLUTION_MS / 1000);
  registry.gauge('nodejs_eventloop_delay_seconds', 'Event-loop delay since the last scrape, by quantile.', () => {
    const values: Array<[Record<string, string>, number]> = [
      [{ quantile: '0.5' }, late(loop.percentile(50))],
      [{ quantile: '0.99' }, late(loop.percentile(99))],
      [{ quantile: '1' }, late(loop.max)],
    ];
    loop.reset();
    return values;
  });
  registry.gauge('process_resident_memory_bytes', 'Resident set size in bytes.', () => process.memoryUsage.rss());
  registry.gauge('nodejs_heap_used_bytes', 'V8 heap in use, bytes.', () => process.memoryUsage().heapUsed);
  return {
    registry,
    updates,
    updateRate,
    persistSeconds,
    rejectedMessages,
    refusedConnections,
    authFailures,
    revocations,
    awarenessDropped,
    loads,
    loadFailures,
    loadSkippedUpdates,
    compactions,
    compactionFailures,
    recoveries,
    edits,
    unhandledRejections,
    hookFailures,
    stateAnswers,
    rejected: (reason) => rejectedMessages.inc({ reason }),
  };
}
