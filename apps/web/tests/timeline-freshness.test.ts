/**
 * GET /projects/{id}/timeline is served from memory between changes (src/lib/server/timeline-service.ts).
 * These check that the copy is never stale where a user would notice: right after their own
 * commands POST returned, and shortly after someone edited the project live through sync.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommands, originFor } from '@cutline/timeline';
import { startStack, type Stack } from './stack.ts';

type Timeline = { tracks: { name: string }[] };

describe('timeline reads stay fresh (real web, sync and Postgres)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function signUp(name: string): Promise<{ token: string; userId: string }> {
    const response = await fetch(`${stack.web}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${name}.${Date.now()}@example.com`, password: 'fresh timelines please', name }),
    });
    const body = (await response.json()) as { token: string; user: { id: string } };
    return { token: body.token, userId: body.user.id };
  }

  async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${stack.web}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const trackNames = async (token: string, projectId: string) =>
    ((await call(token, 'GET', `/projects/${projectId}/timeline`)).body.timeline as Timeline).tracks.map((t) => t.name);

  it('a GET right after a commands POST returned shows that edit, even with reads racing the write', async () => {
    const { token } = await signUp('Writer');
    const projectId = ((await call(token, 'POST', '/projects', { name: 'RYW' })).body.project as { id: string }).id;
    expect(await trackNames(token, projectId)).toEqual([]);
    const expected: string[] = [];
    for (let i = 0; i < 6; i++) {
      const name = `V${i}`;
      // Reads in flight while the edit is stored: any of them may load the old state, and
      // that copy must not be kept once the POST has returned.
      const racing = Array.from({ length: 4 }, () => trackNames(token, projectId));
      const edit = await call(token, 'POST', `/projects/${projectId}/timeline/commands`, { commands: [{ type: 'addTrack', kind: 'video', name }] });
      expect(edit.status, JSON.stringify(edit.body)).toBe(200);
      expected.push(name);
      expect((await trackNames(token, projectId)).toSorted()).toEqual(expected.toSorted());
      await Promise.all(racing);
    }
  });

  it('an ETag from before a POST does not get a 304 after it', async () => {
    const { token } = await signUp('Etag');
    const projectId = ((await call(token, 'POST', '/projects', { name: 'ETag' })).body.project as { id: string }).id;
    const get = (etag?: string) =>
      fetch(`${stack.web}/api/v1/projects/${projectId}/timeline`, { headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) } });
    const first = await get();
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    expect((await get(etag)).status).toBe(304);
    expect((await call(token, 'POST', `/projects/${projectId}/timeline/commands`, { commands: [{ type: 'addTrack', kind: 'audio', name: 'A1' }] })).status).toBe(200);
    const after = await get(etag);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { timeline: Timeline }).timeline.tracks.map((t) => t.name)).toEqual(['A1']);
  });

  it('an edit made live in an editor (through sync, not the API) shows up in GET', async () => {
    const { token, userId } = await signUp('Live');
    const projectId = ((await call(token, 'POST', '/projects', { name: 'Live' })).body.project as { id: string }).id;
    const doc = new Y.Doc();
    const websocketProvider = new HocuspocusProviderWebsocket({ url: `ws://127.0.0.1:${stack.syncPort}` });
    const provider = new HocuspocusProvider({ websocketProvider, name: `project/${projectId}/timeline`, document: doc, token });
    provider.attach();
    try {
      await new Promise<void>((resolve, reject) => {
        provider.on('synced', () => resolve());
        provider.on('authenticationFailed', ({ reason }: { reason: string }) => reject(new Error(`sync refused the token: ${reason}`)));
      });
      // The copy the web server holds before the edit.
      expect(await trackNames(token, projectId)).toEqual([]);
      for (const name of ['Live 1', 'Live 2']) {
        applyCommands(doc, [{ type: 'addTrack', kind: 'video', name }], originFor('user', userId));
        // Bounded: the change notice normally lands within milliseconds of sync's commit;
        // without it, a copy is rechecked after REVALIDATE_MS (2 s). Well under the 5 s here.
        await expect.poll(() => trackNames(token, projectId), { timeout: 5_000, interval: 50 }).toContain(name);
      }
    } finally {
      provider.destroy();
      websocketProvider.destroy();
    }
  });
});
