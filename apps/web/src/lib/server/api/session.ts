import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE, createSession } from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';

/** Starts a session and sets its cookie (HttpOnly, SameSite=Lax, Secure behind https). */
export async function startSession({ event, sql, userId }: { event: RequestEvent; sql: Sql; userId: string }): Promise<{ token: string; expiresAt: Date }> {
  const { token, session } = await createSession({ sql, userId });
  event.cookies.set(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: event.url.protocol === 'https:',
    expires: session.expiresAt,
  });
  return { token, expiresAt: session.expiresAt };
}

export function clearSessionCookie(event: RequestEvent): void {
  event.cookies.delete(SESSION_COOKIE, { path: '/', secure: event.url.protocol === 'https:' });
}
