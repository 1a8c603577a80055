import { randomBytes } from 'node:crypto';
import type { Sql } from '@cutline/shared/db';

/** Ids like the app's (lowercase base32-ish), so they fit storage keys. */
export const testId = () => randomBytes(12).toString('hex');

export async function createUserAndProject(sql: Sql): Promise<{ userId: string; projectId: string }> {
  const userId = testId();
  const projectId = testId();
  await sql`insert into users (id, email, name) values (${userId}, ${`${userId}@example.test`}, 'Uploader')`;
  await sql`insert into projects (id, owner_id, name) values (${projectId}, ${userId}, 'Ingest test')`;
  await sql`insert into project_members (project_id, user_id, role) values (${projectId}, ${userId}, 'owner')`;
  return { userId, projectId };
}

export async function insertUploadedAsset(
  sql: Sql,
  { assetId, projectId, userId, name, size, key }: { assetId: string; projectId: string; userId: string; name: string; size: number; key: string },
): Promise<void> {
  await sql`
    insert into assets (id, project_id, uploaded_by, original_name, content_hash, byte_size, original_key)
    values (${assetId}, ${projectId}, ${userId}, ${name}, ${`sha256-${assetId}`}, ${size}, ${key})`;
}

export type AssetRow = {
  id: string;
  kind: string | null;
  state: string;
  failureReason: string | null;
  probe: Record<string, unknown> | null;
  durationUs: number | null;
  width: number | null;
  height: number | null;
  fpsNum: number | null;
  fpsDen: number | null;
  hasAudio: boolean | null;
  proxyKey: string | null;
  filmstripKey: string | null;
  waveformKey: string | null;
  filmstrip: { tileWidth: number; tileHeight: number; columns: number; rows: number; count: number; intervalUs: number } | null;
};

export async function getAsset(sql: Sql, assetId: string): Promise<AssetRow> {
  const [row] = await sql<AssetRow[]>`
    select id, kind, state, failure_reason as "failureReason", probe, duration_us as "durationUs", width, height,
           fps_num as "fpsNum", fps_den as "fpsDen", has_audio as "hasAudio", proxy_key as "proxyKey",
           filmstrip_key as "filmstripKey", waveform_key as "waveformKey", filmstrip
    from assets where id = ${assetId}`;
  if (!row) throw new Error(`no asset ${assetId}`);
  return row;
}
