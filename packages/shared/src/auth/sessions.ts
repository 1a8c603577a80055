import type { Sql } from '../db/client.ts';
import { hashSecret, newToken, parseToken, secretMatches } from './tokens.ts';

export const SESSION_COOKIE = 'cutline_session';
const DAY = 24 * 60 * 60 * 1000;
/** Sessions live 30 days from last use; used in the last 15 days they are extended. */
export const SESSION_LIFETIME_MS = 30 * DAY;
const EXTEND_WHEN_LEFT_MS = 15 * DAY;

export type Session = { id: string; userId: string; expiresAt: Date };
export type AuthUser = { id: string; email: string; name: string };

export async function createSession({ sql, userId }: { sql: Sql; userId: string }): Promise<{ token: string; session: Session }> {
  const { id, secret, token } = newToken('session');
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await sql`
    insert into sessions (id, user_id, secret_hash, expires_at)
    values (${id}, ${userId}, ${hashSecret(secret)}, ${expiresAt})`;
  return { token, session: { id, userId, expiresAt } };
}

type SessionRow = { id: string; user_id: string; secret_hash: Uint8Array; expires_at: Date; email: string; name: string };

/**
 * The session and user behind a token, or null (unknown, wrong secret, expired). Sliding
 * expiry: a session used with less than half its lifetime left is extended.
 */
export async function validateSessionToken({
  sql,
  token,
}: {
  sql: Sql;
  token: string;
}): Promise<{ session: Session; user: AuthUser } | null> {
  const parsed = parseToken(token);
  if (!parsed || parsed.kind !== 'session') return null;
  const [row] = await sql<SessionRow[]>`
    select s.id, s.user_id, s.secret_hash, s.expires_at, u.email, u.name
    from sessions s join users u on u.id = s.user_id
    where s.id = ${parsed.id}`;
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
  const now = Date.now();
  if (row.expires_at.getTime() <= now) {
    await sql`delete from sessions where id = ${row.id}`;
    return null;
  }
  let expiresAt = row.expires_at;
  if (expiresAt.getTime() - now < EXTEND_WHEN_LEFT_MS) {
    expiresAt = new Date(now + SESSION_LIFETIME_MS);
    await sql`update sessions set expires_at = ${expiresAt}, last_verified_at = now() where id = ${row.id}`;
  }
  return {
    session: { id: row.id, userId: row.user_id, expiresAt },
    user: { id: row.user_id, email: row.email, name: row.name },
  };
}

export async function invalidateSession({ sql, sessionId }: { sql: Sql; sessionId: string }): Promise<void> {
  await sql`delete from sessions where id = ${sessionId}`;
}

/** "Log out everywhere". */
export async function invalidateUserSessions({ sql, userId }: { sql: Sql; userId: string }): Promise<void> {
  await sql`delete from sessions where user_id = ${userId}`;
}

/** The cookie per the guide: HttpOnly, SameSite=Lax, Secure when served over https. */
export function sessionCookie({ token, expiresAt, secure }: { token: string; expiresAt: Date; secure: boolean }): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function blankSessionCookie({ secure }: { secure: boolean }): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}
