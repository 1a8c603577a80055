import type { Task } from 'graphile-worker';
import { describeError } from '@cutline/shared/errors';
import { giveUp, ingestAsset, type IngestDeps } from './ingest-asset.ts';

export type IngestPayload = { assetId: string; requestId?: string };

export function parseIngestPayload(payload: unknown): IngestPayload | null {
  if (typeof payload !== 'object' || payload === null || !('assetId' in payload)) return null;
  const { assetId } = payload;
  if (typeof assetId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(assetId)) return null;
  const requestId = 'requestId' in payload && typeof payload.requestId === 'string' ? payload.requestId : undefined;
  return requestId === undefined ? { assetId } : { assetId, requestId };
}

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
