import {
  createApiToken,
  createProject,
  createSession,
  createUser,
  setMemberRole,
  type AuthUser,
  type Role,
} from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';

export type TestUser = AuthUser & { token: string; sessionId: string };

/** Users, projects and memberships made through @cutline/shared/auth, as the web app would. */
export function world(sql: Sql) {
  let n = 0;
  return {
    async user(name = `User ${++n}`): Promise<TestUser> {
      const user = await createUser({ sql, email: `${name.replace(/\W+/g, '.').toLowerCase()}.${crypto.randomUUID()}@example.com`, name, password: null });
      const { token, session } = await createSession({ sql, userId: user.id });
      return { ...user, token, sessionId: session.id };
    },
    async apiToken(user: AuthUser): Promise<{ token: string; tokenId: string }> {
      const { token, apiToken } = await createApiToken({ sql, userId: user.id, name: 'test' });
      return { token, tokenId: apiToken.id };
    },
    async project(owner: AuthUser): Promise<string> {
      return (await createProject({ sql, ownerId: owner.id, name: 'Test project' })).id;
    },
    async member(projectId: string, user: AuthUser, role: Exclude<Role, 'owner'>): Promise<void> {
      await setMemberRole({ sql, projectId, userId: user.id, role });
    },
  };
}

export const timelineOf = (projectId: string) => `project/${projectId}/timeline`;
export const commentsOf = (projectId: string) => `project/${projectId}/comments`;
