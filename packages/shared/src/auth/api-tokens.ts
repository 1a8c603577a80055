import type { Sql } from '../db/client.ts';
import { hashSecret, newToken, parseToken, secretMatches } from './tokens.ts';
import type { AuthUser } from './sessions.ts';

export type ApiToken = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null };

/** Creates a personal API token; the returned `token` is shown once and never stored. */
export async function createApiToken({
  sql,
  userId,
  name,
  expiresAt = null,
}: {
  sql: Sql;
  userId: string;
  name: string;
  expiresAt?: Date | null;
}): Promise<{ token: string; apiToken: ApiToken }> {
  const { id, secret, token } = newToken('api');
  const [row] = await sql<{ created_at: Date }[]>`
    insert into api_tokens (id, user_id, name, secret_hash, expires_at)
    values (${id}, ${userId}, ${name}, ${hashSecret(secret)}, ${expiresAt})
    returning created_at`;
  return { token, apiToken: { id, name, createdAt: row?.created_at ?? new Date(), lastUsedAt: null, expiresAt } };
}

export async function listApiTokens({ sql, userId }: { sql: Sql; userId: string }): Promise<ApiToken[]> {
  const rows = await sql<{ id: string; name: string; created_at: Date; last_used_at: Date | null; expires_at: Date | null }[]>`
    select id, name, created_at, last_used_at, expires_at from api_tokens
    where user_id = ${userId} and revoked_at is null
    order by created_at desc`;
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at }));
}

/** Revokes one of the user's tokens; false when there is no such live token. */
export async function revokeApiToken({ sql, userId, tokenId }: { sql: Sql; userId: string; tokenId: string }): Promise<boolean> {
  const rows = await sql`
    update api_tokens set revoked_at = now()
    where id = ${tokenId} and user_id = ${userId} and revoked_at is null
    returning id`;
  return rows.length > 0;
}

type TokenRow = { id: string; user_id: string; secret_hash: Uint8Array; expires_at: Date | null; revoked_at: Date | null; last_used_at: Date | null; email: string; name: string };

export async function validateApiToken({ sql, token }: { sql: Sql; token: string }): Promise<{ tokenId: string; user: AuthUser } | null> {
  const parsed = parseToken(token);
  if (!parsed || parsed.kind !== 'api') return null;
  const [row] = await sql<TokenRow[]>`
    select t.id, t.user_id, t.secret_hash, t.expires_at, t.revoked_at, t.last_used_at, u.email, u.name
    from api_tokens t join users u on u.id = t.user_id
    where t.id = ${parsed.id}`;
  if (!row || !secretMatches(parsed.secret, row.secret_hash) || row.revoked_at) return null;
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) return null;
  // last_used_at is informational; write it at most once a minute per token.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await sql`update api_tokens set last_used_at = now() where id = ${row.id}`;
  }
  return { tokenId: row.id, user: { id: row.user_id, email: row.email, name: row.name } };
}
