/**
 * Project routes read the caller's role at the same time as they verify the token, once
 * that token has been seen (endpoint.ts). The role read must never decide on its own: these
 * check the answers a caller gets when the token or the membership changes between calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, signUp, startWeb, type WebServer } from './harness.ts';

describe('permission checks with a remembered token', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWeb();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('a removed member gets 404 at once, a demoted one 403, and a wrong secret for a known token id 401', async () => {
    const owner = await signUp(server, 'Owner');
    const guest = await signUp(server, 'Guest');
    const id = ((await owner.call('POST', '/projects', { name: 'p' })).body.project as { id: string }).id;
    const guestEmail = ((await guest.call('GET', '/me')).body.user as { email: string }).email;
    expect((await owner.call('POST', `/projects/${id}/members`, { email: guestEmail, role: 'editor' })).status).toBe(201);

    // Seen twice, so the second call already reads the role in parallel.
    expect((await guest.call('GET', `/projects/${id}/timeline`)).status).toBe(200);
    expect((await guest.call('PATCH', `/projects/${id}`, { name: 'renamed by guest' })).status).toBe(200);

    const [tokenId] = guest.token.split('.');
    const forged = client(server, `${tokenId}.${'a'.repeat(24)}`);
    expect((await forged.call('GET', `/projects/${id}/timeline`)).status).toBe(401);

    expect((await owner.call('PATCH', `/projects/${id}/members/${guest.userId}`, { role: 'viewer' })).status).toBe(200);
    expect((await guest.call('PATCH', `/projects/${id}`, { name: 'again' })).status).toBe(403);
    expect((await guest.call('GET', `/projects/${id}/timeline`)).status).toBe(200);

    expect((await owner.call('DELETE', `/projects/${id}/members/${guest.userId}`)).status).toBe(204);
    expect((await guest.call('GET', `/projects/${id}/timeline`)).status).toBe(404);

    expect((await owner.call('POST', '/auth/logout', {})).status).toBe(204);
    expect((await owner.call('GET', `/projects/${id}/timeline`)).status).toBe(401);
  });
});
