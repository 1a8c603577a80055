import { API_BASE, parseAsset, parseJson } from './client.ts';
import { ApiError, NetworkError, toApiError } from './errors.ts';
import type { Asset } from './types.ts';

export type UploadProgress = { loaded: number; total: number };

/**
 * Uploads one file as the raw request body (`?filename=` names it). XHR rather than
 * fetch because only XHR reports upload progress in every browser (fetch upload streams
 * need HTTP/2 and duplex, and give no progress either).
 */
export function uploadAsset({
  projectId,
  file,
  onProgress,
  signal,
}: {
  projectId: string;
  file: File;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}): Promise<Asset> {
  return new Promise<Asset>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const url = `${API_BASE}/projects/${encodeURIComponent(projectId)}/assets?filename=${encodeURIComponent(file.name)}`;
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.responseType = 'text';
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.addEventListener('progress', (e) => onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size }));
    xhr.addEventListener('load', () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && typeof body === 'object' && body !== null && 'asset' in body) {
        resolve(parseAsset((body as { asset: unknown }).asset));
      } else {
        reject(toApiError(xhr.status, body));
      }
    });
    xhr.addEventListener('error', () => reject(new NetworkError(new Error('upload failed'))));
    xhr.addEventListener('abort', () => reject(new ApiError({ code: 'aborted', message: 'Upload cancelled', status: 0 })));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}
