import type { Sql } from '../db/client.ts';
import { NotFoundError } from './errors.ts';
import type { Role } from './policy.ts';
import { hashSecret, newToken, parseToken, secretMatches } from './tokens.ts';

export type ShareRole = Exclude<Role, 'owner'>;
export type ShareLink = { id: string; role: ShareRole; createdAt: Date };

const rank: Record<Role, number> = { owner: 3, editor: 2, commenter: 1, viewer: 0 };

/** A link that makes whoever opens it (signed in) a member with `role`; revocable. */
export async function createShareLink({
  sql,
  projectId,
  role,
  createdBy,
}: {
  sql: Sql;
  projectId: string;
  role: ShareRole;
  createdBy: string;
}): Promise<{ token: string; link: ShareLink }> {
  const { id, secret, token } = newToken('session');
  const [row] = await sql<{ created_at: Date }[]>`
    insert into share_links (id, project_id, role, secret_hash, created_by)
    values (${id}, ${projectId}, ${role}, ${hashSecret(secret)}, ${createdBy})
    returning created_at`;
  return { token, link: { id, role, createdAt: row?.created_at ?? new Date() } };
}

export async function listShareLinks({ sql, projectId }: { sql: Sql; projectId: string }): Promise<ShareLink[]> {
  const rows = await sql<{ id: string; role: ShareRole; created_at: Date }[]>`
    select id, role, created_at from share_links where project_id = ${projectId} and revoked_at is null order by created_at`;
  return rows.map((r) => ({ id: r.id, role: r.role, createdAt: r.created_at }));
}

export async function revokeShareLink({ sql, projectId, linkId }: { sql: Sql; projectId: string; linkId: string }): Promise<boolean> {
  const rows = await sql`
    update share_links set revoked_at = now() where id = ${linkId} and project_id = ${projectId} and revoked_at is null returning id`;
  return rows.length > 0;
}

/**
 * Joins the link's project with its role. A member who already has a higher role keeps
 * it: opening a viewer link never demotes an editor.
 */
export async function acceptShareLink({ sql, token, userId }: { sql: Sql; token: string; userId: string }): Promise<{ projectId: string; role: Role }> {
  const parsed = parseToken(token);
  const [row] = parsed
    ? await sql<{ project_id: string; role: ShareRole; secret_hash: Uint8Array; revoked_at: Date | null }[]>`
        select project_id, role, secret_hash, revoked_at from share_links where id = ${parsed.id}`
    : [];
  if (!parsed || !row || row.revoked_at || !secretMatches(parsed.secret, row.secret_hash)) {
    throw new NotFoundError('This share link does not exist or was revoked');
  }
  const [current] = await sql<{ role: Role }[]>`
    select role from project_members where project_id = ${row.project_id} and user_id = ${userId}`;
  if (current && rank[current.role] >= rank[row.role]) return { projectId: row.project_id, role: current.role };
  await sql`
    insert into project_members (project_id, user_id, role) values (${row.project_id}, ${userId}, ${row.role})
    on conflict (project_id, user_id) do update set role = excluded.role, updated_at = now()`;
  return { projectId: row.project_id, role: row.role };
}
