import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, signUp, startWeb, type WebServer } from './harness.ts';

describe('projects and sharing over /api/v1', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWeb();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('create, list mine and shared, rename, delete', async () => {
    const ann = await signUp(server, 'Ann');
    const bob = await signUp(server, 'Bob');
    const created = await ann.call('POST', '/projects', { name: '  Launch video  ' });
    expect(created.status).toBe(201);
    const project = created.body.project as { id: string; name: string; role: string };
    expect(project).toMatchObject({ name: 'Launch video', role: 'owner' });

    const bobEmail = ((await bob.call('GET', '/me')).body.user as { email: string }).email;
    expect((await ann.call('POST', `/projects/${project.id}/members`, { email: bobEmail, role: 'editor' })).status).toBe(201);
    const bobsOwn = (await bob.call('POST', '/projects', { name: 'Bob solo' })).body.project as { id: string };

    const names = async (c: typeof bob, filter: string) =>
      ((await c.call('GET', `/projects?filter=${filter}`)).body.projects as { name: string }[]).map((p) => p.name).sort();
    expect(await names(bob, 'all')).toEqual(['Bob solo', 'Launch video']);
    expect(await names(bob, 'mine')).toEqual(['Bob solo']);
    expect(await names(bob, 'shared')).toEqual(['Launch video']);

    const renamed = await bob.call('PATCH', `/projects/${project.id}`, { name: 'Launch video v2' });
    expect(renamed.body.project).toMatchObject({ name: 'Launch video v2', role: 'editor' });
    expect((await bob.call('DELETE', `/projects/${project.id}`)).status).toBe(403);
    expect((await ann.call('DELETE', `/projects/${project.id}`)).status).toBe(204);
    expect((await ann.call('GET', `/projects/${project.id}`)).status).toBe(404);
    expect(await names(bob, 'all')).toEqual(['Bob solo']);
    expect((await ann.call('GET', `/projects/${bobsOwn.id}`)).status).toBe(404);
  });

  it('members: add by email, change role, remove; unknown emails and the owner are refused', async () => {
    const owner = await signUp(server, 'Owner');
    const cam = await signUp(server, 'Cam');
    const camEmail = ((await cam.call('GET', '/me')).body.user as { email: string }).email;
    const id = ((await owner.call('POST', '/projects', { name: 'P' })).body.project as { id: string }).id;
    expect((await owner.call('POST', `/projects/${id}/members`, { email: 'ghost@example.com', role: 'viewer' })).status).toBe(404);
    expect((await owner.call('POST', `/projects/${id}/members`, { email: camEmail, role: 'owner' })).status).toBe(400);
    expect((await owner.call('POST', `/projects/${id}/members`, { email: camEmail.toUpperCase(), role: 'viewer' })).status).toBe(201);
    expect((await cam.call('GET', `/projects/${id}`)).body.project).toMatchObject({ role: 'viewer' });
    expect((await owner.call('PATCH', `/projects/${id}/members/${cam.userId}`, { role: 'commenter' })).body.member).toMatchObject({ role: 'commenter' });
    expect((await owner.call('PATCH', `/projects/${id}/members/${owner.userId}`, { role: 'viewer' })).status).toBe(403);
    const members = (await cam.call('GET', `/projects/${id}/members`)).body.members as { name: string; role: string }[];
    expect(members.map((m) => [m.name, m.role])).toEqual([
      ['Owner', 'owner'],
      ['Cam', 'commenter'],
    ]);
    expect((await owner.call('DELETE', `/projects/${id}/members/${cam.userId}`)).status).toBe(204);
    expect((await cam.call('GET', `/projects/${id}`)).status).toBe(404);
  });

  it('share links: joining gives the role, never demotes, and a revoked link stops working', async () => {
    const owner = await signUp(server, 'Sharer');
    const dee = await signUp(server, 'Dee');
    const eve = await signUp(server, 'Eve');
    const id = ((await owner.call('POST', '/projects', { name: 'Shared' })).body.project as { id: string }).id;
    const created = await owner.call('POST', `/projects/${id}/share-links`, { role: 'commenter' });
    expect(created.status).toBe(201);
    const token = String(created.body.token);
    expect((created.body.link as { url: string }).url).toContain(encodeURIComponent(token));
    expect((await dee.call('POST', '/share-links/accept', { token })).body).toEqual({ projectId: id, role: 'commenter' });
    const viewerLink = String((await owner.call('POST', `/projects/${id}/share-links`, { role: 'viewer' })).body.token);
    expect((await dee.call('POST', '/share-links/accept', { token: viewerLink })).body).toEqual({ projectId: id, role: 'commenter' });
    const linkId = (created.body.link as { id: string }).id;
    expect((await owner.call('DELETE', `/projects/${id}/share-links/${linkId}`)).status).toBe(204);
    expect((await eve.call('POST', '/share-links/accept', { token })).status).toBe(404);
    expect((await eve.call('POST', '/share-links/accept', { token: 'garbage' })).status).toBe(404);
    const links = (await owner.call('GET', `/projects/${id}/share-links`)).body.links as { role: string }[];
    expect(links.map((l) => l.role)).toEqual(['viewer']);
  });

  it('answers unknown routes and methods with JSON errors', async () => {
    const me = await signUp(server);
    expect((await me.call('GET', '/nope')).body.error?.code).toBe('not_found');
    const wrongMethod = await me.call('PUT', '/projects');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error?.code).toBe('method_not_allowed');
    expect((await client(server, 'garbage-token').call('GET', '/me')).status).toBe(401);
  });
});
