import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE, verifyToken, type Principal } from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';

/** The token sent as `Authorization: Bearer <token>` or in the session cookie, unverified. */
export function presentedToken(event: RequestEvent): string | null {
  const header = event.request.headers.get('authorization');
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  return bearer ?? event.cookies.get(SESSION_COOKIE) ?? null;
}

/** The caller behind `Authorization: Bearer <token>` or the session cookie, or null. */
export async function resolvePrincipal({
  event,
  sql,
  token = presentedToken(event),
}: {
  event: RequestEvent;
  sql: Sql;
  /** `presentedToken(event)`, when the caller has it already. */
  token?: string | null;
}): Promise<{ principal: Principal | null; token: string | null }> {
  if (!token) return { principal: null, token: null };
  return { principal: await verifyToken({ sql, token }), token };
}
