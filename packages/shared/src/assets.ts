import type { Queryable, Sql } from './db/client.ts';
import { assert } from './errors.ts';
import type { FilmstripLayout } from './media-layout.ts';
import type { AssetState } from './states.ts';

/**
 * The `assets` table: every statement any app runs on it, one function each (the web
 * app's media routes, the ingest task, the render's file lookup).
 */
export const ASSET_KINDS = ['video', 'audio', 'image'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** A whole row, as the media routes answer it. */
export type AssetRow = {
  id: string;
  project_id: string;
  kind: AssetKind | null;
  state: AssetState;
  failure_reason: string | null;
  original_name: string;
  content_hash: string;
  byte_size: number;
  mime_type: string | null;
  duration_us: number | null;
  width: number | null;
  height: number | null;
  fps_num: number | null;
  fps_den: number | null;
  has_audio: boolean | null;
  original_key: string;
  proxy_key: string | null;
  filmstrip_key: string | null;
  waveform_key: string | null;
  filmstrip: unknown;
  created_at: Date;
  updated_at: Date;
};

export async function getAssetRow(sql: Queryable, assetId: string): Promise<AssetRow | null> {
  const [row] = await sql<AssetRow[]>`select * from assets where id = ${assetId}`;
  return row ?? null;
}

export async function listProjectAssets(sql: Queryable, projectId: string): Promise<AssetRow[]> {
  return sql<AssetRow[]>`select * from assets where project_id = ${projectId} order by created_at, id`;
}

/** A new upload, in state `uploaded` (queue its ingest job in the same transaction). */
export async function insertAsset(
  sql: Queryable,
  asset: { id: string; projectId: string; uploadedBy: string; originalName: string; contentHash: string; byteSize: number; mimeType: string | null; originalKey: string },
): Promise<AssetRow> {
  const [row] = await sql<AssetRow[]>`
    insert into assets (id, project_id, uploaded_by, state, original_name, content_hash, byte_size, mime_type, original_key)
    values (${asset.id}, ${asset.projectId}, ${asset.uploadedBy}, 'uploaded', ${asset.originalName}, ${asset.contentHash}, ${asset.byteSize}, ${asset.mimeType}, ${asset.originalKey})
    returning *`;
  assert(row, 'insert into assets returned no row');
  return row;
}

export async function deleteAssetRow(sql: Queryable, assetId: string): Promise<void> {
  await sql`delete from assets where id = ${assetId}`;
}

/** What a render needs of the assets its timeline uses: the original's key and shown size. */
export type AssetFileRow = { id: string; name: string; state: string; originalKey: string; width: number | null; height: number | null };

export async function getAssetFiles(sql: Queryable, projectId: string, assetIds: string[]): Promise<AssetFileRow[]> {
  if (assetIds.length === 0) return [];
  return sql<AssetFileRow[]>`
    select id, original_name as name, state, original_key as "originalKey", width, height
    from assets where project_id = ${projectId} and id = any(${assetIds})`;
}

// The ingest task's statements.


export type IngestAssetRow = {
  id: string;
  projectId: string;
  /** The uploader, or the project owner if the uploader's account is gone. */
  actorId: string;
  kind: AssetKind | null;
  state: AssetState;
  originalName: string;
  originalKey: string;
  probe: unknown;
  durationUs: number | null;
  width: number | null;
  height: number | null;
  fpsNum: number | null;
  fpsDen: number | null;
  hasAudio: boolean | null;
  proxyKey: string | null;
  filmstripKey: string | null;
  waveformKey: string | null;
};

export async function getAssetForIngest(sql: Sql, assetId: string): Promise<IngestAssetRow | undefined> {
  const [row] = await sql<IngestAssetRow[]>`
    select a.id, a.project_id as "projectId", coalesce(a.uploaded_by, p.owner_id) as "actorId", a.kind, a.state,
           a.original_name as "originalName", a.original_key as "originalKey", a.probe, a.duration_us as "durationUs",
           a.width, a.height, a.fps_num as "fpsNum", a.fps_den as "fpsDen", a.has_audio as "hasAudio",
           a.proxy_key as "proxyKey", a.filmstrip_key as "filmstripKey", a.waveform_key as "waveformKey"
    from assets a join projects p on p.id = a.project_id
    where a.id = ${assetId}`;
  return row;
}

/** uploaded | failed | processing → processing. False if the asset is gone or already ready. */
export async function markProcessing(sql: Sql, assetId: string): Promise<boolean> {
  const rows = await sql`
    update assets set state = 'processing', failure_reason = null, updated_at = now()
    where id = ${assetId} and state <> 'ready'
    returning id`;
  return rows.length > 0;
}

export type IngestFacts = {
  kind: AssetKind;
  probe: unknown;
  durationUs: number | null;
  width: number | null;
  height: number | null;
  fpsNum: number | null;
  fpsDen: number | null;
  hasAudio: boolean;
  proxyKey: string | null;
  filmstripKey: string | null;
  waveformKey: string | null;
  filmstrip: FilmstripLayout | null;
};

/**
 * Records what ingest found and wrote, still in `processing`: the asset turns `ready`
 * only after the timeline knows it, and a retry after a failed registration can skip
 * straight to registering.
 */
export async function saveIngestFacts(sql: Sql, assetId: string, facts: IngestFacts): Promise<void> {
  await sql`
    update assets set
      kind = ${facts.kind}, probe = ${sql.json(facts.probe as Parameters<typeof sql.json>[0])}, duration_us = ${facts.durationUs},
      width = ${facts.width}, height = ${facts.height}, fps_num = ${facts.fpsNum}, fps_den = ${facts.fpsDen},
      has_audio = ${facts.hasAudio}, proxy_key = ${facts.proxyKey}, filmstrip_key = ${facts.filmstripKey},
      waveform_key = ${facts.waveformKey},
      filmstrip = ${facts.filmstrip ? sql.json(facts.filmstrip) : null},
      updated_at = now()
    where id = ${assetId}`;
}

export async function markReady(sql: Sql, assetId: string): Promise<boolean> {
  const rows = await sql`
    update assets set state = 'ready', failure_reason = null, updated_at = now()
    where id = ${assetId} and state = 'processing'
    returning id`;
  return rows.length > 0;
}

/** Failed, with the reason shown to people; derived files are gone, so their keys go too. */
export async function markFailed(sql: Sql, assetId: string, reason: string): Promise<boolean> {
  const rows = await sql`
    update assets set state = 'failed', failure_reason = ${reason}, proxy_key = null, filmstrip_key = null,
      waveform_key = null, filmstrip = null, updated_at = now()
    where id = ${assetId} and state <> 'ready'
    returning id`;
  return rows.length > 0;
}
