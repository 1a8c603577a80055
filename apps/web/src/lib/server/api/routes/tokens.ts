import { z } from 'zod';
import { NotFoundError, createApiToken, listApiTokens, revokeApiToken } from '@cutline/shared/auth';
import { serverContext } from '#lib/server/context.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { apiToken, idParams, name } from '../schemas.ts';

export const listTokens = defineEndpoint({
  method: 'GET',
  path: '/tokens',
  summary: 'Your personal API tokens (never their secrets)',
  tags: ['tokens'],
  auth: 'user',
  responses: { 200: { description: 'Tokens', schema: z.object({ tokens: z.array(apiToken) }) }, 401: errorResponses[401] },
  handler: async ({ user }) => {
    const tokens = await listApiTokens({ sql: serverContext().sql, userId: user.id });
    return {
      body: {
        tokens: tokens.map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          expiresAt: t.expiresAt?.toISOString() ?? null,
        })),
      },
    };
  },
});

export const createToken = defineEndpoint({
  method: 'POST',
  path: '/tokens',
  summary: 'Create a personal API token; the token is shown only in this response',
  tags: ['tokens'],
  auth: 'user',
  body: z.object({ name, expiresInDays: z.number().int().min(1).max(3650).optional() }),
  responses: {
    201: { description: 'Created', schema: z.object({ token: z.string(), apiToken }) },
    400: errorResponses[400],
    401: errorResponses[401],
  },
  handler: async ({ user, body }) => {
    const expiresAt = body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null;
    const { token, apiToken: created } = await createApiToken({ sql: serverContext().sql, userId: user.id, name: body.name, expiresAt });
    return {
      status: 201,
      body: {
        token,
        apiToken: { id: created.id, name: created.name, createdAt: created.createdAt.toISOString(), lastUsedAt: null, expiresAt: expiresAt?.toISOString() ?? null },
      },
    };
  },
});

export const deleteToken = defineEndpoint({
  method: 'DELETE',
  path: '/tokens/{id}',
  summary: 'Revoke one of your API tokens',
  tags: ['tokens'],
  auth: 'user',
  params: idParams,
  responses: { 204: { description: 'Revoked' }, 401: errorResponses[401], 404: errorResponses[404] },
  handler: async ({ user, params }) => {
    const revoked = await revokeApiToken({ sql: serverContext().sql, userId: user.id, tokenId: params.id });
    if (!revoked) throw new NotFoundError('Token not found');
    return { status: 204, body: null };
  },
});
