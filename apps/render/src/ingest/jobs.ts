import type { TaskSpec } from 'graphile-worker';

export const INGEST_TASK = 'ingest';

/**
 * How to queue an ingest, for whoever accepts the upload:
 * `const { identifier, payload, spec } = ingestJob({ assetId, requestId }); await addJob(identifier, payload, spec)`
 * (or `graphile_worker.add_job(identifier, payload, job_key => spec.jobKey, max_attempts => …)`).
 * The job key makes a second queueing of the same asset replace the first instead of
 * running twice. Ten attempts with Graphile's backoff (e^n seconds) cover about nine
 * hours of the sync server being unreachable.
 */
export function ingestJob({ assetId, requestId }: { assetId: string; requestId?: string }): {
  identifier: typeof INGEST_TASK;
  payload: { assetId: string; requestId?: string };
  spec: TaskSpec & { jobKey: string; maxAttempts: number };
} {
  return {
    identifier: INGEST_TASK,
    payload: requestId ? { assetId, requestId } : { assetId },
    spec: { jobKey: `ingest:${assetId}`, maxAttempts: 10 },
  };
}
