import type { Sql } from '../db/client.ts';
import { validateApiToken } from './api-tokens.ts';
import { validateSessionToken, type AuthUser } from './sessions.ts';
import { API_TOKEN_PREFIX } from './tokens.ts';
import { SYNC_TICKET_PREFIX, readSyncTicket } from './sync-ticket.ts';

/** Who is calling: a user, through a browser session or a personal API token. */
export type Principal = { user: AuthUser; via: { kind: 'session'; sessionId: string } | { kind: 'api'; tokenId: string } };

/**
 * Verifies a session token, an API token, or (when `ticketSecret` is given, i.e. on the
 * sync server) a sync ticket minted by the web app for a still-valid session.
 */
export async function verifyToken({
  sql,
  token,
  ticketSecret,
}: {
  sql: Sql;
  token: string | null | undefined;
  ticketSecret?: string;
}): Promise<Principal | null> {
  if (!token || token.length > 512) return null;
  if (token.startsWith(SYNC_TICKET_PREFIX)) {
    const ticket = ticketSecret ? readSyncTicket({ secret: ticketSecret, token }) : null;
    if (!ticket) return null;
    const [row] = await sql<AuthUser[]>`
      select u.id, u.email, u.name from sessions s join users u on u.id = s.user_id
      where s.id = ${ticket.sessionId} and s.user_id = ${ticket.userId} and s.expires_at > now()`;
    return row ? { user: { id: row.id, email: row.email, name: row.name }, via: { kind: 'session', sessionId: ticket.sessionId } } : null;
  }
  if (token.length > 200) return null;
  if (token.startsWith(API_TOKEN_PREFIX)) {
    const result = await validateApiToken({ sql, token });
    return result ? { user: result.user, via: { kind: 'api', tokenId: result.tokenId } } : null;
  }
  const result = await validateSessionToken({ sql, token });
  return result ? { user: result.user, via: { kind: 'session', sessionId: result.session.id } } : null;
}

/** Is the credential behind a principal still valid? (sync re-checks live connections) */
export async function principalStillValid({ sql, principal }: { sql: Sql; principal: Principal }): Promise<boolean> {
  if (principal.via.kind === 'session') {
    const [row] = await sql`select 1 from sessions where id = ${principal.via.sessionId} and expires_at > now()`;
    return row !== undefined;
  }
  const [row] = await sql`
    select 1 from api_tokens where id = ${principal.via.tokenId} and revoked_at is null
      and (expires_at is null or expires_at > now())`;
  return row !== undefined;
}
