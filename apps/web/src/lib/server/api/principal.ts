import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE, verifyToken, type Principal } from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';

/** The caller behind `Authorization: Bearer <token>` or the session cookie, or null. */
export async function resolvePrincipal({ event, sql }: { event: RequestEvent; sql: Sql }): Promise<{ principal: Principal | null; token: string | null }> {
  const header = event.request.headers.get('authorization');
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  const token = bearer ?? event.cookies.get(SESSION_COOKIE) ?? null;
  if (!token) return { principal: null, token: null };
  return { principal: await verifyToken({ sql, token }), token };
}
