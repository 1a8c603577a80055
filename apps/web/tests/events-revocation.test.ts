import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishProjectEvent } from '@cutline/shared/events';
import { signUp, startWeb, type Client, type WebServer } from './harness.ts';

/** An open SSE stream: its text so far, and a way to wait for text or for its end. */
async function openStream(server: WebServer, projectId: string, token: string) {
  const response = await fetch(`${server.url}/api/v1/projects/${projectId}/events`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const stream = {
    text: '',
    ended: false,
    async until(pattern: RegExp): Promise<void> {
      while (!pattern.test(stream.text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${stream.text}`);
        stream.text += decoder.decode(value);
      }
    },
    /** Reads to the end; the test's timeout fails a stream that stays open. */
    async end(): Promise<string> {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        stream.text += decoder.decode(value);
      }
      stream.ended = true;
      return stream.text;
    },
    close: () => reader.cancel().catch(() => {}),
  };
  await stream.until(/: connected/);
  return stream;
}

describe('[issue 12] event streams end when access is revoked', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWeb();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function sharedProject(role: 'viewer' | 'editor' = 'viewer'): Promise<{ owner: Client; member: Client; projectId: string }> {
    const owner = await signUp(server);
    const member = await signUp(server);
    const projectId = ((await owner.call('POST', '/projects', { name: 'shared' })).body.project as { id: string }).id;
    const email = ((await member.call('GET', '/me')).body.user as { email: string }).email;
    expect((await owner.call('POST', `/projects/${projectId}/members`, { email, role })).status).toBeLessThan(300);
    return { owner, member, projectId };
  }

  it('a removed member’s stream ends at once and carries nothing published after the removal', { timeout: 15_000 }, async () => {
    const { owner, member, projectId } = await sharedProject();
    const mine = await openStream(server, projectId, member.token);
    const owners = await openStream(server, projectId, owner.token);
    await publishProjectEvent(server.db.sql, { type: 'asset.updated', projectId, assetId: 'before', state: 'ready' });
    await mine.until(/"assetId":"before"/);
    expect((await owner.call('DELETE', `/projects/${projectId}/members/${member.userId}`)).status).toBe(204);
    await publishProjectEvent(server.db.sql, { type: 'render.updated', projectId, renderId: 'secret-render', state: 'failed', progress: 0.5, error: 'secret reason' });
    const text = await mine.end();
    expect(text).toContain('event: access.revoked');
    expect(text).not.toContain('secret');
    // The owner keeps receiving.
    await owners.until(/secret-render/);
    await owners.close();
  });

  it('log-out-everywhere ends the streams of every session', { timeout: 15_000 }, async () => {
    const { member, projectId } = await sharedProject('editor');
    const stream = await openStream(server, projectId, member.token);
    expect((await member.call('POST', '/auth/logout', { everywhere: true })).status).toBeLessThan(300);
    await publishProjectEvent(server.db.sql, { type: 'asset.updated', projectId, assetId: 'after-logout', state: 'ready' });
    const text = await stream.end();
    expect(text).toContain('"reason":"session"');
    expect(text).not.toContain('after-logout');
  });

  it('a stream opened with an API token ends when the token is revoked', { timeout: 15_000 }, async () => {
    const { member, projectId } = await sharedProject();
    const created = await member.call('POST', '/tokens', { name: 'agent' });
    expect(created.status).toBe(201);
    const { token, apiToken } = created.body as { token: string; apiToken: { id: string } };
    const stream = await openStream(server, projectId, token);
    expect((await member.call('DELETE', `/tokens/${apiToken.id}`)).status).toBe(204);
    const text = await stream.end();
    expect(text).toContain('"reason":"api_token"');
    // Reconnecting is refused.
    expect((await fetch(`${server.url}/api/v1/projects/${projectId}/events`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('a stream ends when its session is shortened to the past (an operator expiring it)', { timeout: 15_000 }, async () => {
    const { member, projectId } = await sharedProject();
    const stream = await openStream(server, projectId, member.token);
    await server.db.sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${member.userId}`;
    expect(await stream.end()).toContain('"reason":"session"');
  });
});
