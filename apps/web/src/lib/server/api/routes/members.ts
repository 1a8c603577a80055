import { z } from 'zod';
import { NotFoundError, findUserByEmail, removeMember as deleteMember, setMemberRole, type Role } from '@cutline/shared/auth';
import { serverContext } from '#lib/server/context.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { email, idParams, invitableRole, member, memberParams } from '../schemas.ts';

type MemberRow = { user_id: string; email: string; name: string; role: Role; created_at: Date };

async function loadMembers(projectId: string): Promise<z.infer<typeof member>[]> {
  const rows = await serverContext().sql<MemberRow[]>`
    select m.user_id, u.email, u.name, m.role, m.created_at
    from project_members m join users u on u.id = m.user_id
    where m.project_id = ${projectId}
    order by case m.role when 'owner' then 0 when 'editor' then 1 when 'commenter' then 2 else 3 end, u.name`;
  return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, role: r.role, createdAt: r.created_at.toISOString() }));
}

async function loadMember(projectId: string, userId: string): Promise<z.infer<typeof member>> {
  const found = (await loadMembers(projectId)).find((m) => m.userId === userId);
  if (!found) throw new NotFoundError('Member not found');
  return found;
}

export const listMembers = defineEndpoint({
  method: 'GET',
  path: '/projects/{id}/members',
  summary: "The project's members and their roles",
  tags: ['members'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'members.read' },
  responses: { 200: { description: 'Members', schema: z.object({ members: z.array(member) }) }, ...errorResponses },
  handler: async ({ projectId }) => ({ body: { members: await loadMembers(projectId) } }),
});

export const addMember = defineEndpoint({
  method: 'POST',
  path: '/projects/{id}/members',
  summary: 'Add an existing user by email with a role (or change their role)',
  tags: ['members'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'members.manage' },
  body: z.object({ email, role: invitableRole }),
  responses: { 201: { description: 'Added', schema: z.object({ member }) }, ...errorResponses },
  handler: async ({ projectId, body }) => {
    const { sql } = serverContext();
    const found = await findUserByEmail({ sql, email: body.email });
    if (!found) throw new NotFoundError('No Cutline account uses that email; ask them to sign up first');
    await setMemberRole({ sql, projectId, userId: found.id, role: body.role });
    return { status: 201, body: { member: await loadMember(projectId, found.id) } };
  },
});

export const updateMember = defineEndpoint({
  method: 'PATCH',
  path: '/projects/{id}/members/{userId}',
  summary: "Change a member's role",
  tags: ['members'],
  auth: 'user',
  params: memberParams,
  scope: { resource: 'project', param: 'id', action: 'members.manage' },
  body: z.object({ role: invitableRole }),
  responses: { 200: { description: 'Updated', schema: z.object({ member }) }, ...errorResponses },
  handler: async ({ projectId, params, body }) => {
    const { sql } = serverContext();
    await loadMember(projectId, params.userId);
    await setMemberRole({ sql, projectId, userId: params.userId, role: body.role });
    return { body: { member: await loadMember(projectId, params.userId) } };
  },
});

export const removeMember = defineEndpoint({
  method: 'DELETE',
  path: '/projects/{id}/members/{userId}',
  summary: 'Remove a member; their open editors are disconnected within seconds',
  tags: ['members'],
  auth: 'user',
  params: memberParams,
  scope: { resource: 'project', param: 'id', action: 'members.manage' },
  responses: { 204: { description: 'Removed' }, ...errorResponses },
  handler: async ({ projectId, params }) => {
    const removed = await deleteMember({ sql: serverContext().sql, projectId, userId: params.userId });
    if (!removed) throw new NotFoundError('Member not found');
    return { status: 204, body: null };
  },
});
