import { readFile } from 'node:fs/promises';
import { error } from '@sveltejs/kit';
import { FONT_FAMILY_NAMES, fontFile } from '@cutline/shared/fonts';
import type { RequestHandler } from './$types';

/**
 * The bundled TTF files, served to the preview so its text uses the very files the render
 * farm gives FFmpeg's drawtext (`/fonts/Inter.ttf`, `/fonts/Roboto%20Mono-700.ttf`).
 */
export const GET: RequestHandler = async ({ params }) => {
  const match = /^(.+?)(?:-(400|700))?\.ttf$/.exec(params.file);
  const family = FONT_FAMILY_NAMES.find((f) => f === match?.[1]);
  if (!match || !family) error(404, { code: 'not_found', message: 'No such font' });
  const data = await readFile(fontFile(family, match[2] === '700' ? 700 : 400));
  return new Response(new Uint8Array(data), {
    headers: { 'content-type': 'font/ttf', 'cache-control': 'public, max-age=31536000, immutable', 'access-control-allow-origin': '*' },
  });
};
