import type { Sql } from '../db/client.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { can, type Action, type Role } from './policy.ts';
import { randomId } from './tokens.ts';

export async function createProject({ sql, ownerId, name }: { sql: Sql; ownerId: string; name: string }): Promise<{ id: string; name: string }> {
  const id = randomId();
  await sql.begin(async (tx) => {
    await tx`insert into projects (id, owner_id, name) values (${id}, ${ownerId}, ${name})`;
    await tx`insert into project_members (project_id, user_id, role) values (${id}, ${ownerId}, 'owner')`;
  });
  return { id, name };
}

/** The user's role in the project, or null when they are not a member (or it doesn't exist). */
export async function getRole({ sql, projectId, userId }: { sql: Sql; projectId: string; userId: string }): Promise<Role | null> {
  const [row] = await sql<{ role: Role }[]>`
    select role from project_members where project_id = ${projectId} and user_id = ${userId}`;
  return row?.role ?? null;
}

/**
 * Throws unless the user may do `action` on the project. Non-members get NotFound (the
 * project's existence is not theirs to learn); members without the right get Forbidden.
 */
export async function authorize({
  sql,
  projectId,
  userId,
  action,
}: {
  sql: Sql;
  projectId: string;
  userId: string;
  action: Action;
}): Promise<Role> {
  const role = await getRole({ sql, projectId, userId });
  if (role === null) throw new NotFoundError('Project not found');
  if (!can(role, action)) throw new ForbiddenError(`A ${role} may not do ${action} in this project`);
  return role;
}

/** Adds or updates a membership. The owner's own role is changed only by ownership transfer. */
export async function setMemberRole({ sql, projectId, userId, role }: { sql: Sql; projectId: string; userId: string; role: Exclude<Role, 'owner'> }): Promise<void> {
  const [existing] = await sql<{ role: Role }[]>`select role from project_members where project_id = ${projectId} and user_id = ${userId}`;
  if (existing?.role === 'owner') throw new ForbiddenError("The owner's role cannot be changed");
  await sql`
    insert into project_members (project_id, user_id, role) values (${projectId}, ${userId}, ${role})
    on conflict (project_id, user_id) do update set role = excluded.role, updated_at = now()`;
}

export async function removeMember({ sql, projectId, userId }: { sql: Sql; projectId: string; userId: string }): Promise<boolean> {
  const [existing] = await sql<{ role: Role }[]>`select role from project_members where project_id = ${projectId} and user_id = ${userId}`;
  if (existing?.role === 'owner') throw new ForbiddenError('The owner cannot be removed from their project');
  const rows = await sql`delete from project_members where project_id = ${projectId} and user_id = ${userId} returning user_id`;
  return rows.length > 0;
}

