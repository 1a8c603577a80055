import { z } from 'zod';
import {
  InvalidCredentialsError,
  checkPassword,
  createUser,
  invalidateSession,
  invalidateUserSessions,
  normalizeEmail,
} from '@cutline/shared/auth';
import { serverContext } from '#lib/server/context.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { clearSessionCookie, startSession } from '../session.ts';
import { email, name, password, user } from '../schemas.ts';
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from '../throttle.ts';

const sessionResult = z.object({
  user,
  token: z.string().describe('Session token: send as `Authorization: Bearer <token>`, or rely on the cookie'),
  expiresAt: z.string(),
});

export const signup = defineEndpoint({
  method: 'POST',
  path: '/auth/signup',
  summary: 'Create an account and start a session',
  tags: ['auth'],
  auth: 'public',
  body: z.object({ email, password, name }),
  responses: { 201: { description: 'Signed up', schema: sessionResult }, 400: errorResponses[400], 409: { description: 'Email taken' } },
  handler: async ({ event, body }) => {
    const { sql } = serverContext();
    const created = await createUser({ sql, email: body.email, name: body.name, password: body.password });
    const session = await startSession({ event, sql, userId: created.id });
    return { status: 201, body: { user: created, token: session.token, expiresAt: session.expiresAt.toISOString() } };
  },
});

export const login = defineEndpoint({
  method: 'POST',
  path: '/auth/login',
  summary: 'Log in with email and password',
  tags: ['auth'],
  auth: 'public',
  body: z.object({ email: z.string().max(254), password: z.string().max(256) }),
  responses: {
    200: { description: 'Logged in', schema: sessionResult },
    401: { description: 'Wrong email or password' },
    429: { description: 'Too many failed attempts' },
  },
  handler: async ({ event, body }) => {
    const { sql } = serverContext();
    const address = event.getClientAddress();
    const normalized = normalizeEmail(body.email);
    await assertLoginAllowed({ sql, email: normalized, ip: address });
    const found = await checkPassword({ sql, email: normalized, password: body.password });
    if (!found) {
      await recordLoginFailure({ sql, email: normalized, ip: address });
      throw new InvalidCredentialsError();
    }
    await clearLoginFailures({ sql, email: normalized });
    const session = await startSession({ event, sql, userId: found.id });
    return { body: { user: found, token: session.token, expiresAt: session.expiresAt.toISOString() } };
  },
});

export const logout = defineEndpoint({
  method: 'POST',
  path: '/auth/logout',
  summary: 'End this session, or with `everywhere: true` every session of the account',
  tags: ['auth'],
  auth: 'user',
  body: z.object({ everywhere: z.boolean().default(false) }).default({ everywhere: false }),
  responses: { 204: { description: 'Logged out' }, 401: errorResponses[401] },
  handler: async ({ event, body, principal }) => {
    const { sql } = serverContext();
    if (body.everywhere) await invalidateUserSessions({ sql, userId: principal.user.id });
    else if (principal.via.kind === 'session') await invalidateSession({ sql, sessionId: principal.via.sessionId });
    clearSessionCookie(event);
    return { status: 204, body: null };
  },
});

export const me = defineEndpoint({
  method: 'GET',
  path: '/me',
  summary: 'The signed-in user',
  tags: ['auth'],
  auth: 'user',
  responses: { 200: { description: 'You', schema: z.object({ user }) }, 401: errorResponses[401] },
  handler: async ({ user: current }) => ({ body: { user: current } }),
});
