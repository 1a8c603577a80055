import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.ts';
import { EmailTakenError, ForbiddenError, NotFoundError } from './errors.ts';
import { authorize, createProject, getRole, removeMember, setMemberRole } from './members.ts';
import { principalStillValid, verifyToken } from './principal.ts';
import { SESSION_LIFETIME_MS, createSession, invalidateSession, invalidateUserSessions, sessionCookie, validateSessionToken } from './sessions.ts';
import { checkPassword, createUser } from './users.ts';

describe('auth against PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
  });
  afterAll(async () => {
    await db.drop();
  });
  let n = 0;
  const user = (password: string | null = 'correct horse battery') =>
    createUser({ sql: db.sql, email: `User${++n}@Example.com`, name: `User ${n}`, password });

  it('stores an argon2id hash, never the password, and checks it', async () => {
    const u = await user('s3cret-passphrase');
    const [row] = await db.sql<{ password_hash: string }[]>`select password_hash from users where id = ${u.id}`;
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    expect(row?.password_hash).not.toContain('s3cret');
    expect(await checkPassword({ sql: db.sql, email: u.email.toUpperCase(), password: 's3cret-passphrase' })).toEqual(u);
    expect(await checkPassword({ sql: db.sql, email: u.email, password: 'wrong' })).toBeNull();
    expect(await checkPassword({ sql: db.sql, email: 'nobody@example.com', password: 'x' })).toBeNull();
  });

  it('refuses a second account with the same email in another case', async () => {
    const u = await user();
    await expect(createUser({ sql: db.sql, email: u.email.toUpperCase(), name: 'Twin', password: 'whatever-123' })).rejects.toBeInstanceOf(
      EmailTakenError,
    );
  });

  it('stores only the SHA-256 of a session secret; the token validates, a tampered one does not', async () => {
    const u = await user();
    const { token, session } = await createSession({ sql: db.sql, userId: u.id });
    const [row] = await db.sql<{ secret_hash: Uint8Array }[]>`select secret_hash from sessions where id = ${session.id}`;
    expect(row?.secret_hash.length).toBe(32);
    expect((await validateSessionToken({ sql: db.sql, token }))?.user).toEqual(u);
    const tampered = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
    expect(await validateSessionToken({ sql: db.sql, token: tampered })).toBeNull();
  });

  it('expired sessions are refused and removed; nearly expired ones slide forward', async () => {
    const u = await user();
    const expired = await createSession({ sql: db.sql, userId: u.id });
    await db.sql`update sessions set expires_at = now() - interval '1 second' where id = ${expired.session.id}`;
    expect(await validateSessionToken({ sql: db.sql, token: expired.token })).toBeNull();
    expect(await db.sql`select 1 from sessions where id = ${expired.session.id}`).toHaveLength(0);

    const old = await createSession({ sql: db.sql, userId: u.id });
    await db.sql`update sessions set expires_at = now() + interval '1 day' where id = ${old.session.id}`;
    const result = await validateSessionToken({ sql: db.sql, token: old.token });
    expect(result?.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_LIFETIME_MS - 60_000);
  });

  it('log out and log out everywhere end sessions', async () => {
    const u = await user();
    const a = await createSession({ sql: db.sql, userId: u.id });
    const b = await createSession({ sql: db.sql, userId: u.id });
    await invalidateSession({ sql: db.sql, sessionId: a.session.id });
    expect(await verifyToken({ sql: db.sql, token: a.token })).toBeNull();
    expect(await verifyToken({ sql: db.sql, token: b.token })).not.toBeNull();
    await invalidateUserSessions({ sql: db.sql, userId: u.id });
    expect(await verifyToken({ sql: db.sql, token: b.token })).toBeNull();
  });

  it('API tokens: shown once, listed without secrets, revocable, and verified like sessions', async () => {
    const u = await user();
    const { token, apiToken } = await createApiToken({ sql: db.sql, userId: u.id, name: 'ci' });
    const principal = await verifyToken({ sql: db.sql, token });
    expect(principal).toEqual({ user: u, via: { kind: 'api', tokenId: apiToken.id } });
    const listed = await listApiTokens({ sql: db.sql, userId: u.id });
    expect(listed.map((t) => t.name)).toEqual(['ci']);
    expect(JSON.stringify(listed)).not.toContain(token.split('.')[1]);
    expect(await revokeApiToken({ sql: db.sql, userId: 'someone-else', tokenId: apiToken.id })).toBe(false);
    expect(await revokeApiToken({ sql: db.sql, userId: u.id, tokenId: apiToken.id })).toBe(true);
    expect(await verifyToken({ sql: db.sql, token })).toBeNull();
    expect(principal && (await principalStillValid({ sql: db.sql, principal }))).toBe(false);
  });

  it('roles: owner on create, members added and removed; outsiders get not-found, members forbidden', async () => {
    const owner = await user();
    const editor = await user();
    const outsider = await user();
    const project = await createProject({ sql: db.sql, ownerId: owner.id, name: 'Trailer' });
    expect(await getRole({ sql: db.sql, projectId: project.id, userId: owner.id })).toBe('owner');
    await setMemberRole({ sql: db.sql, projectId: project.id, userId: editor.id, role: 'commenter' });
    await setMemberRole({ sql: db.sql, projectId: project.id, userId: editor.id, role: 'editor' });
    expect(await authorize({ sql: db.sql, projectId: project.id, userId: editor.id, action: 'timeline.write' })).toBe('editor');
    await expect(authorize({ sql: db.sql, projectId: project.id, userId: editor.id, action: 'project.delete' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(authorize({ sql: db.sql, projectId: project.id, userId: outsider.id, action: 'project.read' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(setMemberRole({ sql: db.sql, projectId: project.id, userId: owner.id, role: 'viewer' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(removeMember({ sql: db.sql, projectId: project.id, userId: owner.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await removeMember({ sql: db.sql, projectId: project.id, userId: editor.id })).toBe(true);
    expect(await getRole({ sql: db.sql, projectId: project.id, userId: editor.id })).toBeNull();
  });

  it('the session cookie is HttpOnly, SameSite=Lax, and Secure behind https', () => {
    const cookie = sessionCookie({ token: 't', expiresAt: new Date(0), secure: true });
    expect(cookie).toMatch(/^cutline_session=t; Path=\/; HttpOnly; SameSite=Lax; Expires=.*; Secure$/);
    expect(sessionCookie({ token: 't', expiresAt: new Date(0), secure: false })).not.toContain('Secure');
  });
});
