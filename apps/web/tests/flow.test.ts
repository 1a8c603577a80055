/**
 * Issue 5's end-to-end flow on real processes: sign up → API token → project → upload →
 * the asset becomes ready (real FFmpeg ingest) → timeline commands add it → GET timeline
 * shows it → a Hocuspocus provider connected to the project sees the clip arrive live.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '@cutline/timeline';
import { makeTestVideo, startStack, type Stack } from './stack.ts';

describe('upload to timeline, end to end', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    if (process.env.DEBUG_STACK) console.log(stack?.logs.join('\n'));
    await stack?.stop();
  });

  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.web}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('a program uploads media and edits the timeline; a connected editor sees it live', async () => {
    const signup = await fetch(`${stack.web}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'flow@example.com', password: 'end to end please', name: 'Flow' }),
    });
    const session = ((await signup.json()) as { token: string }).token;
    const token = String((await api(session, 'POST', '/tokens', { name: 'robot' })).body.token);
    const project = (await api(token, 'POST', '/projects', { name: 'Flow' })).body.project as { id: string };

    // The editor: a provider on the project's timeline, authenticated with the API token.
    const doc = new Y.Doc();
    const websocketProvider = new HocuspocusProviderWebsocket({ url: `ws://127.0.0.1:${stack.syncPort}` });
    const provider = new HocuspocusProvider({ websocketProvider, name: `project/${project.id}/timeline`, document: doc, token });
    provider.attach();
    await new Promise<void>((resolve, reject) => {
      provider.on('synced', () => resolve());
      provider.on('authenticationFailed', ({ reason }: { reason: string }) => reject(new Error(`sync refused the token: ${reason}`)));
    });

    // Upload a generated clip and wait for ingest (SSE would tell a browser; we poll the row).
    const file = join(stack.storageDir, 'clip.mp4');
    makeTestVideo(file);
    const upload = await fetch(`${stack.web}/api/v1/projects/${project.id}/assets?filename=clip.mp4`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'video/mp4' },
      body: await readFile(file),
    });
    expect(upload.status).toBe(201);
    const assetId = ((await upload.json()) as { asset: { id: string } }).asset.id;
    let asset: { state: string; durationSeconds: number; failureReason: string | null } = { state: 'uploaded', durationSeconds: 0, failureReason: null };
    for (let i = 0; i < 600 && (asset.state === 'uploaded' || asset.state === 'processing'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      asset = (await api(token, 'GET', `/assets/${assetId}`)).body.asset as typeof asset;
    }
    expect(asset, stack.logs.join('\n')).toMatchObject({ state: 'ready', durationSeconds: 2 });
    // Ingest registered the asset in the timeline document; the editor has it already.
    expect(snapshot(doc).assets.map((a) => a.id)).toContain(assetId);

    const clipArrived = new Promise<void>((resolve) => {
      const check = () => {
        if (snapshot(doc).clips.some((c) => c.assetId === assetId)) resolve();
      };
      doc.on('update', check);
      check();
    });
    const edit = await api(token, 'POST', `/projects/${project.id}/timeline/commands`, {
      commands: [
        { type: 'addTrack', kind: 'video', name: 'Main' },
        { type: 'addClip', trackId: '$0.trackId', assetId, start: 0 },
      ],
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const results = edit.body.results as [{ trackId: string }, { clipId: string }];
    await clipArrived;

    const timeline = (await api(token, 'GET', `/projects/${project.id}/timeline`)).body.timeline as {
      clips: { id: string; assetId: string; duration: number }[];
      duration: number;
    };
    expect(timeline.clips).toEqual([expect.objectContaining({ id: results[1].clipId, assetId, duration: 2 })]);
    expect(timeline.duration).toBe(2);

    // A bad command is refused whole, with the timeline's own error, and nothing changes.
    const bad = await api(token, 'POST', `/projects/${project.id}/timeline/commands`, {
      commands: [{ type: 'addTrack', kind: 'video' }, { type: 'moveClip', clipId: 'nope', start: 1 }],
    });
    expect(bad.status).toBe(404);
    expect((bad.body.error as { code: string }).code).toBe('unknown_id');
    expect(((await api(token, 'GET', `/projects/${project.id}/timeline`)).body.timeline as { tracks: unknown[] }).tracks).toHaveLength(1);

    provider.destroy();
    websocketProvider.destroy();
  });
});
