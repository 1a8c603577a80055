import { z } from 'zod';
import type { Sql } from '../db/client.ts';
import { isRole, type Role } from './policy.ts';
import type { Principal } from './principal.ts';

/**
 * Revocation as every long-lived channel sees it (sync's sockets, the web's event streams,
 * MCP sessions): migration 002 (packages/shared/src/db/migrations/002_sync_auth_notify.sql)
 * makes PostgreSQL NOTIFY this channel when a membership, session or API token changes,
 * and a watcher re-reads the rows behind the channels it affects.
 */
export const AUTH_CHANNEL = 'cutline_auth';

const notification = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('member'), projectId: z.string(), userId: z.string() }),
  z.object({ kind: z.literal('session'), id: z.string() }),
  z.object({ kind: z.literal('api_token'), id: z.string() }),
]);
export type AuthNotification = z.infer<typeof notification>;

/** A `cutline_auth` payload, or null for one that is not ours. */
export function parseAuthNotification(payload: string): AuthNotification | null {
  try {
    return notification.parse(JSON.parse(payload));
  } catch {
    return null;
  }
}

/** `session:<id>` or `api:<id>`: the key of a principal's credential in `AccessFacts`. */
export function credentialKey(principal: Principal): string {
  return principal.via.kind === 'session' ? `session:${principal.via.sessionId}` : `api:${principal.via.tokenId}`;
}

/** Which of the credentials are still live, and the members' roles (`<projectId>:<userId>`). */
export type AccessFacts = { liveCredentials: ReadonlySet<string>; roles: ReadonlyMap<string, Role> };

/** Reads the credentials and roles behind `grants` in two queries. */
export async function readAccessFacts(sql: Sql, grants: readonly { principal: Principal; projectId: string }[]): Promise<AccessFacts> {
  const sessionIds = new Set<string>();
  const tokenIds = new Set<string>();
  const projectIds = new Set<string>();
  const userIds = new Set<string>();
  for (const { principal, projectId } of grants) {
    if (principal.via.kind === 'session') sessionIds.add(principal.via.sessionId);
    else tokenIds.add(principal.via.tokenId);
    projectIds.add(projectId);
    userIds.add(principal.user.id);
  }
  const [credentials, members] = await Promise.all([
    sql<{ kind: string; id: string }[]>`
      select 'session' as kind, id from sessions where id = any(${sql.array([...sessionIds])}::text[]) and expires_at > now()
      union all
      select 'api' as kind, id from api_tokens where id = any(${sql.array([...tokenIds])}::text[])
        and revoked_at is null and (expires_at is null or expires_at > now())`,
    sql<{ project_id: string; user_id: string; role: string }[]>`
      select project_id, user_id, role from project_members
      where project_id = any(${sql.array([...projectIds])}::text[]) and user_id = any(${sql.array([...userIds])}::text[])`,
  ]);
  const roles = new Map<string, Role>();
  for (const m of members) if (isRole(m.role)) roles.set(`${m.project_id}:${m.user_id}`, m.role);
  return { liveCredentials: new Set(credentials.map((r) => `${r.kind}:${r.id}`)), roles };
}

/** The member's role in `projectId` according to `facts` (null: not a member any more). */
export function roleIn(facts: AccessFacts, { principal, projectId }: { principal: Principal; projectId: string }): Role | null {
  return facts.roles.get(`${projectId}:${principal.user.id}`) ?? null;
}
