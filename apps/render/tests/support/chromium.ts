import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { StorageNotFoundError, StorageRangeError, type Storage } from '@cutline/shared/storage';

/** Chromium to test playback in: CHROMIUM_PATH, else Debian's package. Null if neither exists. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => Boolean(path && existsSync(path))) ?? null;
}

const TYPES: Record<string, string> = { mp4: 'video/mp4', m4a: 'audio/mp4', png: 'image/png', jpg: 'image/jpeg' };

/**
 * Serves storage keys at `/<key>` with HTTP range requests, the way the web app will
 * (browsers fetch media in ranges and seek with them), plus an empty page at `/`.
 */
export async function serveStorage(storage: Storage): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const key = (req.url ?? '/').slice(1);
    if (key === '') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>playback</title>');
      return;
    }
    void (async () => {
      try {
        const { size } = await storage.stat(key);
        const type = TYPES[key.split('.').at(-1) ?? ''] ?? 'application/octet-stream';
        const match = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
        if (!match) {
          res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes' });
          await pipeline(await storage.get(key), res);
          return;
        }
        const start = Number(match[1]);
        const end = Math.min(match[2] ? Number(match[2]) : size - 1, size - 1);
        const body = await storage.get(key, { range: { start, end } });
        res.writeHead(206, { 'content-type': type, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}`, 'accept-ranges': 'bytes' });
        await pipeline(body, res);
      } catch (error) {
        if (res.headersSent) return res.destroy();
        if (error instanceof StorageRangeError) res.writeHead(416, { 'content-range': `bytes */${error.size ?? '*'}` }).end();
        else if (error instanceof StorageNotFoundError) res.writeHead(404).end();
        else res.writeHead(500).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type MediaElement = {
  muted: boolean;
  preload: string;
  src: string;
  currentTime: number;
  duration: number;
  videoWidth?: number;
  videoHeight?: number;
  error: { code: number; message: string } | null;
  onloadeddata: (() => void) | null;
  onseeked: (() => void) | null;
  onerror: (() => void) | null;
};
type PictureElement = { src: string; naturalWidth: number; naturalHeight: number; decode(): Promise<void> };
/** The few DOM objects the page function touches (render's tsconfig has no DOM lib). */
type BrowserGlobals = { document: { createElement(tag: 'video' | 'audio'): MediaElement }; Image: new () => PictureElement };

export type Playback = { width: number | null; height: number | null; seekedTo: number | null; duration: number | null };

/**
 * Runs inside the page (serialized by Playwright, so it may use nothing from this module):
 * loads a proxy, and for video/audio seeks to 60% of `seconds`.
 */
export async function playInPage({ src, kind, seconds }: { src: string; kind: 'video' | 'audio' | 'image'; seconds: number }): Promise<Playback> {
  const browser = globalThis as unknown as BrowserGlobals;
  if (kind === 'image') {
    const img = new browser.Image();
    img.src = src;
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight, seekedTo: null, duration: null };
  }
  const el = browser.document.createElement(kind);
  const failed = () => new Error(`media error ${el.error?.code}: ${el.error?.message}`);
  el.muted = true;
  el.preload = 'auto';
  el.src = src;
  await new Promise<void>((resolve, reject) => {
    el.onloadeddata = resolve;
    el.onerror = () => reject(failed());
  });
  // Seek into the second half: the browser fetches a range and decodes from a keyframe.
  el.currentTime = seconds * 0.6;
  await new Promise<void>((resolve, reject) => {
    el.onseeked = resolve;
    el.onerror = () => reject(failed());
  });
  return { width: el.videoWidth ?? null, height: el.videoHeight ?? null, seekedTo: el.currentTime, duration: el.duration };
}
