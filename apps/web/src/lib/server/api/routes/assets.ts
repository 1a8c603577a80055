import { z } from 'zod';
import { deleteAssetRow, getAssetRow, insertAsset, listProjectAssets, type AssetRow } from '@cutline/shared/assets';
import { enqueue, ingestJob } from '@cutline/shared/jobs';
import { NotFoundError, randomId } from '@cutline/shared/auth';
import { publishProjectEvent } from '@cutline/shared/events';
import { assetKey } from '@cutline/shared/storage';
import { serverContext } from '#lib/server/context.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { InvalidInputError } from '../errors.ts';
import { serveFile } from '../files.ts';
import { id, idParams } from '../schemas.ts';
import { receiveUpload } from '../upload.ts';


export const asset = z.object({
  id,
  projectId: id,
  kind: z.enum(['video', 'audio', 'image']).nullable(),
  state: z.enum(['uploaded', 'processing', 'ready', 'failed']),
  failureReason: z.string().nullable(),
  originalName: z.string(),
  byteSize: z.number(),
  contentHash: z.string(),
  durationSeconds: z.number().nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  fps: z.object({ num: z.number(), den: z.number() }).nullable(),
  hasAudio: z.boolean().nullable(),
  filmstrip: z.unknown().describe('How to cut thumbnails out of the filmstrip sprite'),
  urls: z.object({ original: z.string(), proxy: z.string().nullable(), filmstrip: z.string().nullable(), waveform: z.string().nullable() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

function toAsset(row: AssetRow): z.infer<typeof asset> {
  const base = `/api/v1/assets/${row.id}`;
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind,
    state: row.state,
    failureReason: row.failure_reason,
    originalName: row.original_name,
    byteSize: row.byte_size,
    contentHash: row.content_hash,
    durationSeconds: row.duration_us === null ? null : row.duration_us / 1e6,
    width: row.width,
    height: row.height,
    fps: row.fps_num && row.fps_den ? { num: row.fps_num, den: row.fps_den } : null,
    hasAudio: row.has_audio,
    filmstrip: row.filmstrip ?? null,
    urls: {
      original: `${base}/original`,
      proxy: row.proxy_key ? `${base}/proxy` : null,
      filmstrip: row.filmstrip_key ? `${base}/filmstrip` : null,
      waveform: row.waveform_key ? `${base}/waveform` : null,
    },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function loadAsset(assetId: string): Promise<AssetRow> {
  const row = await getAssetRow(serverContext().sql, assetId);
  if (!row) throw new NotFoundError('Asset not found');
  return row;
}

/** A display name only: it is stored as text and never becomes a path. */
function cleanName(name: string | null): string {
  const chars = [...(name ?? '')].map((c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 || c === '/' || c === '\\' ? ' ' : c));
  const cleaned = chars.join('').replace(/ +/g, ' ').trim().slice(0, 255);
  return cleaned || 'untitled';
}

export const uploadAsset = defineEndpoint({
  method: 'POST',
  path: '/projects/{id}/assets',
  summary:
    'Upload a media file (video, audio or image) as the raw body or as multipart/form-data; `?filename=` names a raw body. It is streamed to storage, then probed and made edit-ready in the background.',
  tags: ['assets'],
  auth: 'user',
  params: idParams,
  query: z.object({ filename: z.string().max(255).optional() }),
  scope: { resource: 'project', param: 'id', action: 'assets.write' },
  body: 'stream',
  responses: {
    201: { description: 'Stored; ingest queued', schema: z.object({ asset }) },
    ...errorResponses,
    413: { description: 'Larger than MAX_UPLOAD_BYTES' },
  },
  handler: async ({ event, projectId, user, query }) => {
    const { sql, storage, config } = serverContext();
    const assetId = randomId();
    const key = assetKey(assetId, 'original');
    const upload = await receiveUpload({ request: event.request, storage, key, maxBytes: config.MAX_UPLOAD_BYTES, idleMs: config.BODY_IDLE_TIMEOUT_MS });
    if (upload.size === 0) {
      await storage.delete(key);
      throw new InvalidInputError('The file is empty (0 bytes)');
    }
    const name = cleanName(query.filename ?? upload.filename);
    const job = ingestJob({ assetId, requestId: event.locals.requestId });
    const row = await sql.begin(async (tx) => {
      const inserted = await insertAsset(tx, {
        id: assetId,
        projectId,
        uploadedBy: user.id,
        originalName: name,
        contentHash: upload.sha256,
        byteSize: upload.size,
        mimeType: upload.mimeType,
        originalKey: key,
      });
      // Queued in the same transaction: an asset row never exists without its ingest job.
      await enqueue(tx, job);
      await publishProjectEvent(tx, { type: 'asset.updated', projectId, assetId, state: 'uploaded' });
      return inserted;
    });
    return { status: 201, body: { asset: toAsset(row) } };
  },
});

export const listAssets = defineEndpoint({
  method: 'GET',
  path: '/projects/{id}/assets',
  summary: "The project's media library",
  tags: ['assets'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'assets.read' },
  responses: { 200: { description: 'Assets', schema: z.object({ assets: z.array(asset) }) }, ...errorResponses },
  handler: async ({ projectId }) => {
    const rows = await listProjectAssets(serverContext().sql, projectId);
    return { body: { assets: rows.map(toAsset) } };
  },
});

export const getAsset = defineEndpoint({
  method: 'GET',
  path: '/assets/{id}',
  summary: 'One asset: state (uploaded → processing → ready | failed, with a reason), probe facts and file URLs',
  tags: ['assets'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'asset', param: 'id', action: 'assets.read' },
  responses: { 200: { description: 'The asset', schema: z.object({ asset }) }, ...errorResponses },
  handler: async ({ params }) => ({ body: { asset: toAsset(await loadAsset(params.id)) } }),
});

export const deleteAsset = defineEndpoint({
  method: 'DELETE',
  path: '/assets/{id}',
  summary: 'Delete an asset and its files (clips using it show as missing media)',
  tags: ['assets'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'asset', param: 'id', action: 'assets.write' },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
  handler: async ({ params, projectId }) => {
    const { sql, storage } = serverContext();
    const row = await loadAsset(params.id);
    await sql.begin(async (tx) => {
      await deleteAssetRow(tx, row.id);
      await publishProjectEvent(tx, { type: 'asset.deleted', projectId, assetId: row.id });
    });
    for (const key of [row.original_key, row.proxy_key, row.filmstrip_key, row.waveform_key]) {
      if (key) await storage.delete(key);
    }
    return { status: 204, body: null };
  },
});

const variants = {
  original: { column: 'original_key', type: (row: AssetRow) => row.mime_type ?? 'application/octet-stream' },
  proxy: { column: 'proxy_key', type: (row: AssetRow) => (row.kind === 'audio' ? 'audio/mp4' : row.kind === 'image' ? imageType(row.proxy_key) : 'video/mp4') },
  filmstrip: { column: 'filmstrip_key', type: (row: AssetRow) => imageType(row.filmstrip_key) },
  waveform: { column: 'waveform_key', type: () => 'application/json' },
} as const;

function imageType(key: string | null): string {
  return key?.endsWith('.png') ? 'image/png' : 'image/jpeg';
}

function fileEndpoint(variant: keyof typeof variants, summary: string) {
  return defineEndpoint({
    method: 'GET',
    path: `/assets/{id}/${variant}`,
    summary,
    tags: ['assets'],
    auth: 'user',
    params: idParams,
    scope: { resource: 'asset', param: 'id', action: 'assets.read' },
    responses: { 200: { description: 'The file (HTTP range requests supported)' }, 206: { description: 'A byte range' }, ...errorResponses },
    handler: async ({ params, event }) => {
      const row = await loadAsset(params.id);
      const spec = variants[variant];
      const key = row[spec.column];
      if (!key) throw new NotFoundError(row.state === 'failed' ? `No ${variant}: ingest failed (${row.failure_reason ?? 'unknown reason'})` : `The ${variant} is not ready yet`);
      return serveFile({
        storage: serverContext().storage,
        key,
        request: event.request,
        contentType: spec.type(row),
        etag: `${row.content_hash.slice(0, 32)}-${variant}`,
        ...(variant === 'original' ? { downloadName: row.original_name } : {}),
      });
    },
  });
}

export const assetOriginal = fileEndpoint('original', 'The file as uploaded');
export const assetProxy = fileEndpoint('proxy', 'The edit-friendly proxy (H.264/AAC ≤ 720p, keyframe every second; AAC for audio)');
export const assetFilmstrip = fileEndpoint('filmstrip', 'The filmstrip sprite');
export const assetWaveform = fileEndpoint('waveform', 'Waveform peaks (JSON)');
