import { CutlineError } from '@cutline/shared/errors';
import type { EditRequest, TimelineEditor } from '@cutline/shared/sync-client';

/**
 * Ingest registers assets through the same TimelineEditor as every server-side edit
 * (`@cutline/shared/sync-client`: the sync server's internal edit endpoint in production,
 * a Y.Doc in process in tests). Its errors carry the timeline's codes (TimelineError)
 * and an HTTP-like `status`.
 */
export type { EditRequest, TimelineEditor };

export type EditFailure = 'conflict' | 'permanent' | 'transient';

/** Refusals that retrying cannot change: the command or the user's rights are the problem. */
export const PERMANENT_EDIT_CODES: ReadonlySet<string> = new Set([
  'invalid_command',
  'invalid_snapshot',
  'unknown_id',
  'limit_exceeded',
  'forbidden',
  'track_locked',
]);

/**
 * How ingest treats a failed registration. `conflict`: the asset is already registered
 * (an earlier attempt got that far), which is success. Permanent: a known refusal, or any
 * other 4xx except 408/429. Everything else (unreachable, 5xx, a timeline schema
 * version this sync build does not write yet) is worth a retry.
 */
export function classifyEditError(error: unknown): EditFailure {
  if (typeof error !== 'object' || error === null) return 'transient';
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const status = 'status' in error && typeof error.status === 'number' ? error.status : undefined;
  if (code === 'conflict') return 'conflict';
  if (code && PERMANENT_EDIT_CODES.has(code)) return 'permanent';
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429 && code !== 'schema_version') return 'permanent';
  return 'transient';
}

export class TimelineEditorUnavailableError extends CutlineError {
  constructor(message: string) {
    super('timeline_unavailable', message, 503);
  }
}

/**
 * Used when no sync edit client can be made (no SYNC_SECRET): every registration fails as
 * transient, so ingest jobs wait in Graphile's retry queue instead of losing the asset.
 */
export const unavailableTimelineEditor: TimelineEditor = {
  apply: () => Promise.reject(new TimelineEditorUnavailableError('The render worker has no sync edit client (SYNC_SECRET is not set)')),
};
