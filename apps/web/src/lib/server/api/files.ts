import { Readable } from 'node:stream';
import { resolveRange, StorageRangeError, type Storage } from '@cutline/shared/storage';
import { errorBody } from './errors.ts';

/**
 * Serves a stored object with HTTP range requests (the preview's mediabunny reads proxies
 * in ranges; browsers seek video the same way). One range per request; a multi-range
 * request gets the whole file, which HTTP allows.
 */
export async function serveFile({
  storage,
  key,
  request,
  contentType,
  etag,
  downloadName,
}: {
  storage: Storage;
  key: string;
  request: Request;
  contentType: string;
  etag?: string;
  downloadName?: string;
}): Promise<Response> {
  const { size } = await storage.stat(key);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'accept-ranges': 'bytes',
    // Objects never change under their key; members may cache, shared caches may not.
    'cache-control': 'private, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    ...(etag ? { etag: `"${etag}"` } : {}),
    ...(downloadName ? { 'content-disposition': `attachment; filename="${downloadName.replace(/[^\w.-]+/g, '_')}"` } : {}),
  };
  if (etag && request.headers.get('if-none-match') === `"${etag}"`) return new Response(null, { status: 304, headers });
  const header = request.headers.get('range');
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (header && match && (match[1] || match[2])) {
    const range = match[1]
      ? { start: Number(match[1]), end: match[2] ? Number(match[2]) : undefined }
      : { start: Math.max(0, size - Number(match[2])), end: size - 1 };
    let resolved: { start: number; end: number } | null = null;
    try {
      resolved = size > 0 ? resolveRange(range, size) : null;
    } catch (error) {
      if (!(error instanceof StorageRangeError)) throw error;
    }
    if (!resolved || (range.end !== undefined && range.end < range.start)) {
      return Response.json(errorBody('range_not_satisfiable', `The file has ${size} bytes`), {
        status: 416,
        headers: { 'content-range': `bytes */${size}` },
      });
    }
    const stream = await storage.get(key, { range: { start: resolved.start, end: resolved.end } });
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${resolved.start}-${resolved.end}/${size}`, 'content-length': String(resolved.end - resolved.start + 1) },
    });
  }
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers: { ...headers, 'content-length': String(size) } });
  const stream = await storage.get(key);
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status: 200, headers: { ...headers, 'content-length': String(size) } });
}
