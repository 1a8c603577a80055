// Task names, payloads and job keys of the render farm. The `render` job itself is queued
// by @cutline/shared/renders (createRender), in SQL, by the web app.

import { RENDER_TASK, renderJobKey } from '@cutline/shared/renders';

export { RENDER_TASK, renderJobKey };
export const PART_TASK = 'render-part';
export const FINALIZE_TASK = 'render-finalize';

export const partJobKey = (renderId: string, part: number): string => `render-part:${renderId}:${part}`;
export const finalizeJobKey = (renderId: string): string => `render-finalize:${renderId}`;

const ID = /^[a-z0-9]{1,64}$/;

export function parseRenderPayload(payload: unknown): { renderId: string } | null {
  if (typeof payload !== 'object' || payload === null || !('renderId' in payload)) return null;
  const { renderId } = payload;
  return typeof renderId === 'string' && ID.test(renderId) ? { renderId } : null;
}

export function parsePartPayload(payload: unknown): { renderId: string; part: number } | null {
  const base = parseRenderPayload(payload);
  if (!base || typeof payload !== 'object' || payload === null || !('part' in payload)) return null;
  const { part } = payload;
  return typeof part === 'number' && Number.isInteger(part) && part >= -1 ? { ...base, part } : null;
}
