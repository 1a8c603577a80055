import { z } from 'zod';
import { createSyncTicket } from '@cutline/shared/auth';
import { serverContext } from '#lib/server/context.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { InvalidInputError } from '../errors.ts';
import { idParams } from '../schemas.ts';

export const syncTicket = defineEndpoint({
  method: 'GET',
  path: '/projects/{id}/sync-ticket',
  summary:
    "A short-lived token for this browser session's WebSocket to the sync server, and its URL. Programs use their API token as the sync token instead.",
  tags: ['sync'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'project.read' },
  responses: {
    200: { description: 'Ticket', schema: z.object({ token: z.string(), url: z.string(), expiresAt: z.string() }) },
    ...errorResponses,
  },
  handler: async ({ principal }) => {
    const { config } = serverContext();
    if (principal.via.kind !== 'session') throw new InvalidInputError('Use your API token as the sync token; tickets are for browser sessions');
    if (!config.SYNC_SECRET) throw new Error('SYNC_SECRET is not configured on the web server');
    const { token, expiresAt } = createSyncTicket({ secret: config.SYNC_SECRET, userId: principal.user.id, sessionId: principal.via.sessionId });
    return { body: { token, url: config.SYNC_PUBLIC_URL, expiresAt: expiresAt.toISOString() } };
  },
});
