import type { Task } from 'graphile-worker';
import { describeError } from '@cutline/shared/errors';
import { parseIngestPayload } from '@cutline/shared/jobs';
import { giveUp, ingestAsset, type IngestDeps } from './ingest-asset.ts';

/**
 * Graphile task `ingest` ({assetId, requestId?}). Thin on purpose: the work is in
 * ingestAsset, the decisions in the plan-* modules. A throw means "try again later"
 * (Graphile backs off exponentially); on the last attempt the asset is marked failed
 * instead, so no upload stays "processing" forever.
 */
export function createIngestTask(deps: IngestDeps): Task {
  return async (rawPayload, helpers) => {
    const payload = parseIngestPayload(rawPayload);
    if (!payload) {
      // Retrying a malformed payload cannot fix it; log it and let the job go.
      deps.log.error({ payload: rawPayload }, 'ingest: job payload is not {assetId, requestId?}');
      return;
    }
    try {
      await ingestAsset(deps, { ...payload, signal: helpers.abortSignal });
    } catch (error) {
      const { attempts, max_attempts: maxAttempts } = helpers.job;
      deps.log.warn({ assetId: payload.assetId, attempts, maxAttempts, err: error }, `ingest: attempt failed: ${describeError(error)}`);
      if (attempts >= maxAttempts && !helpers.abortSignal.aborted) await giveUp(deps, payload.assetId, error);
      throw error;
    }
  };
}
