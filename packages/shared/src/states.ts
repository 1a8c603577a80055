/**
 * The states of the jobs people watch, and the project events that carry them from any
 * process to the browsers (through PostgreSQL NOTIFY and the SSE route; see events.ts).
 * Browser-safe: the editor imports these very types. The SQL check constraints of
 * migration 001 list the same states; states.test.ts compares them with the database.
 */
export const ASSET_STATES = ['uploaded', 'processing', 'ready', 'failed'] as const;
export type AssetState = (typeof ASSET_STATES)[number];

export const RENDER_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RenderState = (typeof RENDER_STATES)[number];

export function isRenderState(value: unknown): value is RenderState {
  return typeof value === 'string' && (RENDER_STATES as readonly string[]).includes(value);
}

export function isAssetState(value: unknown): value is AssetState {
  return typeof value === 'string' && (ASSET_STATES as readonly string[]).includes(value);
}

/** What `GET /api/v1/projects/{id}/events` sends; ids and states, never blobs (NOTIFY payloads stay under 8000 bytes). */
export type ProjectEvent =
  | { type: 'asset.updated'; projectId: string; assetId: string; state: AssetState; reason?: string | null }
  | { type: 'asset.deleted'; projectId: string; assetId: string }
  | { type: 'render.updated'; projectId: string; renderId: string; state: RenderState; progress: number; error?: string | null };
