import { z } from 'zod';
import { createProject as insertProject, type Role } from '@cutline/shared/auth';
import { deleteProjectDocuments } from '@cutline/shared/document-log';
import { serverContext } from '#lib/server/context.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { idParams, project, projectName } from '../schemas.ts';

type ProjectRow = { id: string; name: string; owner_id: string; role: Role; created_at: Date; updated_at: Date };

function toProject(row: ProjectRow): z.infer<typeof project> {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const listProjects = defineEndpoint({
  method: 'GET',
  path: '/projects',
  summary: 'Projects you own and projects shared with you',
  tags: ['projects'],
  auth: 'user',
  query: z.object({ filter: z.enum(['all', 'mine', 'shared']).default('all') }),
  responses: { 200: { description: 'Projects', schema: z.object({ projects: z.array(project) }) }, 401: errorResponses[401] },
  handler: async ({ user, query }) => {
    const { sql } = serverContext();
    const rows = await sql<ProjectRow[]>`
      select p.id, p.name, p.owner_id, m.role, p.created_at, p.updated_at
      from project_members m join projects p on p.id = m.project_id
      where m.user_id = ${user.id}
        ${query.filter === 'mine' ? sql`and m.role = 'owner'` : query.filter === 'shared' ? sql`and m.role <> 'owner'` : sql``}
      order by p.updated_at desc, p.id`;
    return { body: { projects: rows.map(toProject) } };
  },
});

export const createProject = defineEndpoint({
  method: 'POST',
  path: '/projects',
  summary: 'Create a project; you become its owner',
  tags: ['projects'],
  auth: 'user',
  body: z.object({ name: projectName }),
  responses: { 201: { description: 'Created', schema: z.object({ project }) }, 400: errorResponses[400], 401: errorResponses[401] },
  handler: async ({ user, body }) => {
    const { sql } = serverContext();
    const created = await insertProject({ sql, ownerId: user.id, name: body.name });
    const [row] = await sql<ProjectRow[]>`
      select id, name, owner_id, 'owner' as role, created_at, updated_at from projects where id = ${created.id}`;
    return { status: 201, body: { project: toProject(row as ProjectRow) } };
  },
});

async function loadProject(projectId: string, role: Role): Promise<ProjectRow> {
  const [row] = await serverContext().sql<ProjectRow[]>`
    select id, name, owner_id, ${role}::text as role, created_at, updated_at from projects where id = ${projectId}`;
  return row as ProjectRow;
}

export const getProject = defineEndpoint({
  method: 'GET',
  path: '/projects/{id}',
  summary: 'One project, with your role in it',
  tags: ['projects'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'project.read' },
  responses: { 200: { description: 'The project', schema: z.object({ project }) }, ...errorResponses },
  handler: async ({ projectId, role }) => ({ body: { project: toProject(await loadProject(projectId, role ?? 'viewer')) } }),
});

export const updateProject = defineEndpoint({
  method: 'PATCH',
  path: '/projects/{id}',
  summary: 'Rename a project',
  tags: ['projects'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'project.update' },
  body: z.object({ name: projectName }),
  responses: { 200: { description: 'Updated', schema: z.object({ project }) }, ...errorResponses },
  handler: async ({ projectId, role, body }) => {
    await serverContext().sql`update projects set name = ${body.name}, updated_at = now() where id = ${projectId}`;
    return { body: { project: toProject(await loadProject(projectId, role ?? 'viewer')) } };
  },
});

export const deleteProject = defineEndpoint({
  method: 'DELETE',
  path: '/projects/{id}',
  summary: 'Delete a project with its timeline, comments, media and renders (owner only)',
  tags: ['projects'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'project.delete' },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
  handler: async ({ projectId }) => {
    const { sql } = serverContext();
    await sql.begin(async (tx) => {
      await deleteProjectDocuments(tx, projectId);
      await tx`delete from projects where id = ${projectId}`;
    });
    return { status: 204, body: null };
  },
});
