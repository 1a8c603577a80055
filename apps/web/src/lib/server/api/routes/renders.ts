import { z } from 'zod';
import { NotFoundError } from '@cutline/shared/auth';
import { MAX_RANGE_SECONDS, PRESET_NAMES, cancelRender, createRender, getRender, listRenders, type RenderInfo } from '@cutline/shared/renders';
import { serverContext } from '#lib/server/context.ts';
import { readTimeline } from '#lib/server/timeline-service.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { serveFile } from '../files.ts';
import { id, idParams } from '../schemas.ts';

export const render = z.object({
  id,
  projectId: id,
  preset: z.enum(PRESET_NAMES),
  requestedBy: z.object({ id, name: z.string() }).nullable().describe('Who started the export (null once their account is gone)'),
  range: z.object({ start: z.number(), end: z.number() }),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  progress: z.number(),
  error: z.string().nullable(),
  outputBytes: z.number().nullable(),
  outputUrl: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

function toRender(info: RenderInfo): z.infer<typeof render> {
  return {
    id: info.id,
    projectId: info.projectId,
    preset: info.preset,
    requestedBy: info.requestedBy && info.requestedByName !== null ? { id: info.requestedBy, name: info.requestedByName } : null,
    range: info.range,
    state: info.state,
    progress: info.progress,
    error: info.error,
    outputBytes: info.outputBytes,
    outputUrl: info.state === 'succeeded' ? `/api/v1/renders/${info.id}/output` : null,
    createdAt: info.createdAt.toISOString(),
    startedAt: info.startedAt?.toISOString() ?? null,
    finishedAt: info.finishedAt?.toISOString() ?? null,
  };
}

export const startRender = defineEndpoint({
  method: 'POST',
  path: '/projects/{id}/renders',
  summary:
    'Export: pins the timeline as it is saved now (later edits never change this render) and queues it on the render farm. Progress arrives on the project event stream.',
  tags: ['renders'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'renders.create' },
  body: z.object({
    preset: z.enum(PRESET_NAMES),
    range: z
      .object({
        start: z.number().min(0).max(MAX_RANGE_SECONDS, `must be at most ${MAX_RANGE_SECONDS} seconds (24 hours)`).optional(),
        end: z.number().positive().max(MAX_RANGE_SECONDS, `must be at most ${MAX_RANGE_SECONDS} seconds (24 hours)`).optional(),
      })
      .optional()
      .describe('In and out points in seconds (snapped to frames); the whole timeline when absent'),
  }),
  responses: { 201: { description: 'Queued', schema: z.object({ render }) }, ...errorResponses },
  handler: async ({ projectId, user, body, event }) => {
    const pinned = await readTimeline({ projectId, fresh: true });
    const info = await createRender({
      sql: serverContext().sql,
      projectId,
      requestedBy: user.id,
      preset: body.preset,
      range: body.range ?? null,
      pinnedState: pinned.state,
      pinnedSnapshot: pinned.snapshot,
      requestId: event.locals.requestId,
    });
    return { status: 201, body: { render: toRender(info) } };
  },
});

export const projectRenders = defineEndpoint({
  method: 'GET',
  path: '/projects/{id}/renders',
  summary: "The project's renders, newest first",
  tags: ['renders'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'renders.read' },
  responses: { 200: { description: 'Renders', schema: z.object({ renders: z.array(render) }) }, ...errorResponses },
  handler: async ({ projectId }) => ({ body: { renders: (await listRenders({ sql: serverContext().sql, projectId })).map(toRender) } }),
});

async function loadRender(renderId: string): Promise<RenderInfo> {
  const info = await getRender({ sql: serverContext().sql, renderId });
  if (!info) throw new NotFoundError('Render not found');
  return info;
}

export const getOneRender = defineEndpoint({
  method: 'GET',
  path: '/renders/{id}',
  summary: 'One render: state, progress, error',
  tags: ['renders'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'render', param: 'id', action: 'renders.read' },
  responses: { 200: { description: 'The render', schema: z.object({ render }) }, ...errorResponses },
  handler: async ({ params }) => ({ body: { render: toRender(await loadRender(params.id)) } }),
});

export const cancelOneRender = defineEndpoint({
  method: 'POST',
  path: '/renders/{id}/cancel',
  summary: 'Cancel a queued or running render (FFmpeg stops within a second)',
  tags: ['renders'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'render', param: 'id', action: 'renders.create' },
  responses: { 200: { description: 'Cancelled', schema: z.object({ render }) }, ...errorResponses, 409: { description: 'Already finished' } },
  handler: async ({ params }) => ({ body: { render: toRender(await cancelRender({ sql: serverContext().sql, renderId: params.id })) } }),
});

export const renderOutput = defineEndpoint({
  method: 'GET',
  path: '/renders/{id}/output',
  summary: 'Download the finished file (HTTP range requests supported)',
  tags: ['renders'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'render', param: 'id', action: 'renders.read' },
  responses: { 200: { description: 'The file' }, 206: { description: 'A byte range' }, ...errorResponses },
  handler: async ({ params, event }) => {
    const info = await loadRender(params.id);
    if (info.state !== 'succeeded' || !info.outputKey) throw new NotFoundError(`The render is ${info.state}; there is no file to download`);
    return serveFile({
      storage: serverContext().storage,
      key: info.outputKey,
      request: event.request,
      contentType: info.contentType,
      etag: info.id,
      downloadName: info.fileName,
    });
  },
});
