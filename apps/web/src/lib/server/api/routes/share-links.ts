import { z } from 'zod';
import { NotFoundError, acceptShareLink, createShareLink, listShareLinks, revokeShareLink } from '@cutline/shared/auth';
import { serverContext } from '#lib/server/context.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { idParams, invitableRole, linkParams, role, shareLink } from '../schemas.ts';

export const listLinks = defineEndpoint({
  method: 'GET',
  path: '/projects/{id}/share-links',
  summary: "The project's live share links (their secrets are never shown again)",
  tags: ['members'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'members.manage' },
  responses: { 200: { description: 'Links', schema: z.object({ links: z.array(shareLink) }) }, ...errorResponses },
  handler: async ({ projectId }) => {
    const links = await listShareLinks({ sql: serverContext().sql, projectId });
    return { body: { links: links.map((l) => ({ id: l.id, role: l.role, createdAt: l.createdAt.toISOString() })) } };
  },
});

export const createLink = defineEndpoint({
  method: 'POST',
  path: '/projects/{id}/share-links',
  summary: 'Create a share link carrying a role; the URL is shown only in this response',
  tags: ['members'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'members.manage' },
  body: z.object({ role: invitableRole }),
  responses: { 201: { description: 'Created', schema: z.object({ link: shareLink, token: z.string() }) }, ...errorResponses },
  handler: async ({ projectId, body, user }) => {
    const { sql, config } = serverContext();
    const { token, link } = await createShareLink({ sql, projectId, role: body.role, createdBy: user.id });
    const url = `${config.PUBLIC_URL}/join/${encodeURIComponent(token)}`;
    return { status: 201, body: { token, link: { id: link.id, role: link.role, createdAt: link.createdAt.toISOString(), url } } };
  },
});

export const revokeLink = defineEndpoint({
  method: 'DELETE',
  path: '/projects/{id}/share-links/{linkId}',
  summary: 'Revoke a share link (members who joined through it stay)',
  tags: ['members'],
  auth: 'user',
  params: linkParams,
  scope: { resource: 'project', param: 'id', action: 'members.manage' },
  responses: { 204: { description: 'Revoked' }, ...errorResponses },
  handler: async ({ projectId, params }) => {
    if (!(await revokeShareLink({ sql: serverContext().sql, projectId, linkId: params.linkId }))) throw new NotFoundError('Share link not found');
    return { status: 204, body: null };
  },
});

export const acceptLink = defineEndpoint({
  method: 'POST',
  path: '/share-links/accept',
  summary: "Join a project through a share link's token",
  tags: ['members'],
  auth: 'user',
  body: z.object({ token: z.string().max(200) }),
  responses: { 200: { description: 'Joined', schema: z.object({ projectId: z.string(), role }) }, 401: errorResponses[401], 404: errorResponses[404] },
  handler: async ({ body, user }) => ({ body: await acceptShareLink({ sql: serverContext().sql, token: body.token, userId: user.id }) }),
});
