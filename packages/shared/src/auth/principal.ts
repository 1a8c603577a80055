import type { Sql } from '../db/client.ts';
import { validateApiToken } from './api-tokens.ts';
import { validateSessionToken, type AuthUser } from './sessions.ts';
import { API_TOKEN_PREFIX } from './tokens.ts';

/** Who is calling: a user, through a browser session or a personal API token. */
export type Principal = { user: AuthUser; via: { kind: 'session'; sessionId: string } | { kind: 'api'; tokenId: string } };

/** Verifies a session token or an API token (the web's cookie/Bearer and the sync token alike). */
export async function verifyToken({ sql, token }: { sql: Sql; token: string | null | undefined }): Promise<Principal | null> {
  if (!token || token.length > 200) return null;
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
