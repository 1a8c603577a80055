import { z } from 'zod';
import { documentName } from '@cutline/shared/auth';
import { editTimeline, readTimeline } from '#lib/server/timeline-service.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { idParams } from '../schemas.ts';

export const MAX_COMMANDS_PER_REQUEST = 500;

export const applyTimelineCommands = defineEndpoint({
  method: 'POST',
  path: '/projects/{id}/timeline/commands',
  summary:
    'Apply timeline commands atomically (all or nothing), live for every open editor. Times are in seconds and snap to the frame grid; returns the ids each command created.',
  tags: ['timeline'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'timeline.write' },
  body: z.object({
    commands: z
      .array(z.record(z.string(), z.unknown()))
      .min(1, 'send at least one command')
      .max(MAX_COMMANDS_PER_REQUEST, `at most ${MAX_COMMANDS_PER_REQUEST} commands per request`)
      .describe('Timeline commands, each `{"type": "<name>", …}` (see packages/timeline/SPEC.md)'),
  }),
  responses: {
    200: { description: 'Applied', schema: z.object({ results: z.array(z.record(z.string(), z.unknown())) }) },
    ...errorResponses,
    409: { description: 'The edit conflicts with the timeline (e.g. overlapping clips)' },
    422: { description: 'A limit would be exceeded' },
    423: { description: 'The track is locked' },
  },
  handler: async ({ projectId, body, user, event }) => {
    const { results } = await editTimeline({
      documentName: documentName(projectId, 'timeline'),
      origin: { source: 'api', userId: user.id },
      commands: body.commands,
      requestId: event.locals.requestId,
    });
    return { body: { results } };
  },
});

export const getTimeline = defineEndpoint({
  method: 'GET',
  path: '/projects/{id}/timeline',
  summary:
    'The timeline as a JSON snapshot (times in seconds; schema in packages/timeline SNAPSHOT_SCHEMA), as last saved. Reflects your own commands as soon as they return, and live edits within moments. Send the ETag back as If-None-Match to get 304 when nothing changed.',
  tags: ['timeline'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'timeline.read' },
  responses: { 200: { description: 'The snapshot', schema: z.object({ timeline: z.record(z.string(), z.unknown()) }) }, ...errorResponses },
  handler: async ({ projectId, event }) => {
    const { body, etag } = await readTimeline({ projectId });
    const headers = { etag, 'cache-control': 'private, no-cache' };
    if (etagMatches(event.request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
    return new Response(body, { headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.byteLength) } });
  },
});

/** `If-None-Match` per RFC 9110 §13.1.2: a list of tags or `*`, compared weakly. */
function etagMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
