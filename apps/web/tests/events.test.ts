import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishProjectEvent } from '@cutline/shared/events';
import { signUp, startWeb, type WebServer } from './harness.ts';

describe('project event stream (SSE)', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWeb();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('delivers events of my project, not of others, to a member', async () => {
    const me = await signUp(server);
    const mine = ((await me.call('POST', '/projects', { name: 'mine' })).body.project as { id: string }).id;
    const other = ((await me.call('POST', '/projects', { name: 'other' })).body.project as { id: string }).id;
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/v1/projects/${mine}/events`, {
      headers: { authorization: `Bearer ${me.token}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${text}`);
        text += decoder.decode(value);
      }
    };
    await readUntil(/: connected/);
    await publishProjectEvent(server.db.sql, { type: 'asset.updated', projectId: other, assetId: 'elsewhere', state: 'ready' });
    await publishProjectEvent(server.db.sql, { type: 'asset.updated', projectId: mine, assetId: 'a1', state: 'ready' });
    await readUntil(/"assetId":"a1"/);
    expect(text).toContain('event: asset.updated\ndata: {"type":"asset.updated","projectId"');
    expect(text).not.toContain('elsewhere');
    controller.abort();
  });

  it('refuses outsiders and anonymous callers', async () => {
    const owner = await signUp(server);
    const outsider = await signUp(server);
    const id = ((await owner.call('POST', '/projects', { name: 'p' })).body.project as { id: string }).id;
    expect((await fetch(`${server.url}/api/v1/projects/${id}/events`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/projects/${id}/events`, { headers: { authorization: `Bearer ${outsider.token}` } })).status).toBe(404);
  });
});
