/**
 * The jobs of the render farm as every process sees them: task names, payloads, job keys,
 * attempts, and the one way to queue a job. The web app queues ingest and render jobs,
 * the farm queues the parts and the finalize step of a chunked render, and the farm's task
 * list parses the payloads: all of them through this module.
 *
 * Jobs are queued with `graphile_worker.add_job` in SQL, inside the caller's transaction,
 * so a row (an asset, a render) never exists without its job, and the web app does not
 * need graphile-worker. A job key makes a second queueing of the same work replace the
 * first instead of running it twice.
 */
import type { Queryable } from './db/client.ts';

export const TASKS = {
  ingest: 'ingest',
  render: 'render',
  renderPart: 'render-part',
  renderFinalize: 'render-finalize',
} as const;
export type TaskName = (typeof TASKS)[keyof typeof TASKS];

export type Job<P extends object = object> = { task: TaskName; payload: P; key: string; maxAttempts: number };

export type IngestPayload = { assetId: string; requestId?: string };
export type RenderPayload = { renderId: string; requestId?: string };
export type PartPayload = { renderId: string; part: number };

/**
 * Ten attempts with Graphile's backoff (e^n seconds) cover about nine hours of the sync
 * server being unreachable while an ingest registers its facts.
 */
export const INGEST_MAX_ATTEMPTS = 10;
export const RENDER_MAX_ATTEMPTS = 5;

export const ingestJobKey = (assetId: string): string => `ingest:${assetId}`;
export const renderJobKey = (renderId: string): string => `render:${renderId}`;
export const partJobKey = (renderId: string, part: number): string => `render-part:${renderId}:${part}`;
export const finalizeJobKey = (renderId: string): string => `render-finalize:${renderId}`;

export function ingestJob({ assetId, requestId }: IngestPayload): Job<IngestPayload> {
  return { task: TASKS.ingest, payload: requestId ? { assetId, requestId } : { assetId }, key: ingestJobKey(assetId), maxAttempts: INGEST_MAX_ATTEMPTS };
}

export function renderJob({ renderId, requestId }: RenderPayload): Job<RenderPayload> {
  return { task: TASKS.render, payload: requestId ? { renderId, requestId } : { renderId }, key: renderJobKey(renderId), maxAttempts: RENDER_MAX_ATTEMPTS };
}

export function partJob({ renderId, part }: PartPayload): Job<PartPayload> {
  return { task: TASKS.renderPart, payload: { renderId, part }, key: partJobKey(renderId, part), maxAttempts: RENDER_MAX_ATTEMPTS };
}

export function finalizeJob({ renderId }: { renderId: string }): Job<{ renderId: string }> {
  return { task: TASKS.renderFinalize, payload: { renderId }, key: finalizeJobKey(renderId), maxAttempts: RENDER_MAX_ATTEMPTS };
}

/** Queues `job` on `sql` (a transaction, so the job commits with the rows it is about). */
export async function enqueue(sql: Queryable, job: Job): Promise<void> {
  await sql`select graphile_worker.add_job(${job.task}::text, ${JSON.stringify(job.payload)}::text::json, max_attempts => ${job.maxAttempts}::int, job_key => ${job.key}::text)`;
}

const ASSET_ID = /^[A-Za-z0-9_-]{1,64}$/;
const RENDER_ID = /^[a-z0-9]{1,64}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A job payload as queued by `ingestJob`, or null for anything else (a malformed job is dropped, not retried). */
export function parseIngestPayload(payload: unknown): IngestPayload | null {
  if (!isRecord(payload) || typeof payload.assetId !== 'string' || !ASSET_ID.test(payload.assetId)) return null;
  const { assetId, requestId } = payload;
  return typeof requestId === 'string' ? { assetId, requestId } : { assetId };
}

export function parseRenderPayload(payload: unknown): { renderId: string } | null {
  if (!isRecord(payload) || typeof payload.renderId !== 'string' || !RENDER_ID.test(payload.renderId)) return null;
  return { renderId: payload.renderId };
}

export function parsePartPayload(payload: unknown): PartPayload | null {
  const base = parseRenderPayload(payload);
  if (!base || !isRecord(payload)) return null;
  const { part } = payload;
  return typeof part === 'number' && Number.isInteger(part) && part >= -1 ? { ...base, part } : null;
}
