/**
 * Every route in the OpenAPI document × every role: anonymous callers get 401 on every
 * non-public route; outsiders get 404 on every project-scoped route; members get exactly
 * what the one permission policy (`can(role, action)`) says — 403 when it says no.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { can, type Action, type Role } from '@cutline/shared/auth';
import { applyCommands, createTimelineDoc, originFor } from '@cutline/timeline';
import { client, signUp, startWeb, type Client, type WebServer } from './harness.ts';

type Operation = { method: string; path: string; security: unknown[]; scope?: { resource: string; param: string; action: Action } };

let server: WebServer;
let operations: Operation[] = [];
const users: Record<Role | 'outsider' | 'target', Client> = {} as Record<Role | 'outsider' | 'target', Client>;

beforeAll(async () => {
  server = await startWeb();
  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { security: unknown[]; 'x-cutline-scope'?: Operation['scope'] }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, security: op.security, scope: op['x-cutline-scope'] })),
  );
  for (const name of ['owner', 'editor', 'commenter', 'viewer', 'outsider', 'target'] as const) users[name] = await signUp(server, name);
});
afterAll(async () => {
  await server.stop();
});

/** A project where every role is held, plus what a route's path placeholders need. */
async function freshProject(): Promise<Record<string, string>> {
  const owner = users.owner;
  const id = ((await owner.call('POST', '/projects', { name: 'matrix' })).body.project as { id: string }).id;
  for (const role of ['editor', 'commenter', 'viewer'] as const) {
    const email = ((await users[role].call('GET', '/me')).body.user as { email: string }).email;
    await owner.call('POST', `/projects/${id}/members`, { email, role });
  }
  const targetEmail = ((await users.target.call('GET', '/me')).body.user as { email: string }).email;
  await owner.call('POST', `/projects/${id}/members`, { email: targetEmail, role: 'viewer' });
  const link = (await owner.call('POST', `/projects/${id}/share-links`, { role: 'viewer' })).body.link as { id: string };
  const asset = (await owner.call('POST', `/projects/${id}/assets?filename=a.mp4`, { bytes: 'x' })).body.asset as { id: string };
  // A saved timeline (as sync stores it) so a render can be requested.
  const doc = createTimelineDoc();
  applyCommands(doc, [{ type: 'addTrack', kind: 'video' }, { type: 'addColorClip', trackId: '$0.trackId', color: '#123456', start: 0, duration: 2 }], originFor('api', owner.userId));
  await server.db.sql`insert into doc_updates (doc_name, update) values (${`project/${id}/timeline`}, ${Y.encodeStateAsUpdate(doc)})`;
  const render = (await owner.call('POST', `/projects/${id}/renders`, { preset: 'mp4-720p' })).body.render as { id: string };
  return { id, userId: users.target.userId, linkId: link.id, targetEmail, assetId: asset.id, renderId: render.id };
}

/** A valid body for routes that need one, so an allowed call gets past validation. */
const bodies: Record<string, (values: Record<string, string>) => unknown> = {
  'PATCH /projects/{id}': () => ({ name: 'renamed' }),
  'POST /projects/{id}/members': (values) => ({ email: values.targetEmail, role: 'commenter' }),
  'PATCH /projects/{id}/members/{userId}': () => ({ role: 'commenter' }),
  'POST /projects/{id}/share-links': () => ({ role: 'viewer' }),
  'POST /projects/{id}/timeline/commands': () => ({ commands: [{ type: 'addTrack', kind: 'video' }] }),
  'POST /projects/{id}/renders': () => ({ preset: 'mp4-720p' }),
};

function fill(path: string, values: Record<string, string>, scope?: Operation['scope']): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === 'id' && scope?.resource === 'asset') return values.assetId ?? '';
    if (name === 'id' && scope?.resource === 'render') return values.renderId ?? '';
    return values[name] ?? 'zzzzzzzzzzzzzzzzzzzzzzzz';
  });
}

/** Allowed means the permission check let the call through: whatever the route then says. */
function refusedByPolicy(status: number, message: string | undefined): boolean {
  return status === 401 || status === 403 || (status === 404 && message === 'Project not found');
}

describe('authorization matrix', () => {
  it('covers the routes the issue lists', () => {
    const listed = operations.map((o) => `${o.method} ${o.path}`);
    for (const required of ['POST /auth/signup', 'GET /me', 'GET /projects', 'DELETE /projects/{id}', 'PATCH /projects/{id}/members/{userId}']) {
      expect(listed).toContain(required);
    }
  });

  it('anonymous callers get 401 on every non-public route', async () => {
    const anonymous = client(server, null);
    const values = await freshProject();
    for (const op of operations.filter((o) => o.security.length > 0)) {
      const body = bodies[`${op.method} ${op.path}`]?.(values) ?? (op.method === 'GET' ? undefined : {});
      const result = await anonymous.call(op.method, fill(op.path, values, op.scope), body);
      expect(result.status, `${op.method} ${op.path}`).toBe(401);
      expect(result.body.error?.code).toBe('unauthenticated');
    }
  });

  it('outsiders get 404 and members get exactly what the policy allows, on every project route', async () => {
    const scoped = operations.filter((o) => o.scope);
    expect(scoped.length).toBeGreaterThan(15);
    for (const op of scoped) {
      for (const role of ['owner', 'editor', 'commenter', 'viewer', 'outsider'] as const) {
        const values = await freshProject();
        const body = bodies[`${op.method} ${op.path}`]?.(values) ?? (op.method === 'GET' || op.method === 'DELETE' ? undefined : {});
        const result = await users[role].call(op.method, fill(op.path, values, op.scope), body);
        const label = `${role} ${op.method} ${op.path} → ${result.status} ${JSON.stringify(result.body.error ?? '')}`;
        if (role === 'outsider') {
          expect(result.status, label).toBe(404);
          expect(result.body.error?.message, label).toBe('Project not found');
        } else if (can(role, op.scope?.action ?? 'project.read')) {
          expect(refusedByPolicy(result.status, result.body.error?.message), label).toBe(false);
        } else {
          expect(result.status, label).toBe(403);
          expect(result.body.error?.code).toBe('forbidden');
        }
      }
    }
  });
});
