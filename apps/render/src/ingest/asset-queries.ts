import type { Sql } from '@cutline/shared/db';
import type { AssetState } from '@cutline/shared/states';
import type { MediaKind } from './classify.ts';
import type { FilmstripLayout } from './plan-filmstrip.ts';

/** SQL of the ingest task, one function per statement. */

export type IngestAssetRow = {
  id: string;
  projectId: string;
  /** The uploader, or the project owner if the uploader's account is gone. */
  actorId: string;
  kind: MediaKind | null;
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
  kind: MediaKind;
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
