import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommands, createTimelineDoc, originFor } from '@cutline/timeline';
import { signUp, startWeb, type Client, type WebServer } from './harness.ts';

describe('render requests (web only, no worker)', () => {
  let server: WebServer;
  let owner: Client;
  let projectId: string;
  beforeAll(async () => {
    server = await startWeb();
    owner = await signUp(server, 'Exporter');
    projectId = ((await owner.call('POST', '/projects', { name: 'export me' })).body.project as { id: string }).id;
  });
  afterAll(async () => {
    await server.stop();
  });

  const storeTimeline = async (seconds: number) => {
    const doc = createTimelineDoc();
    applyCommands(doc, [{ type: 'addTrack', kind: 'video' }, { type: 'addColorClip', trackId: '$0.trackId', color: '#00ff00', start: 0, duration: seconds }], originFor('api', owner.userId));
    await server.db.sql`insert into doc_updates (doc_name, update) values (${`project/${projectId}/timeline`}, ${Y.encodeStateAsUpdate(doc)})`;
  };

  it('refuses an empty timeline, a bad preset and a bad range with clear 4xx', async () => {
    const empty = await owner.call('POST', `/projects/${projectId}/renders`, { preset: 'mp4-720p' });
    expect(empty.status, JSON.stringify(empty.body)).toBe(400);
    expect(empty.body.error?.code).toBe('empty_timeline');
    await storeTimeline(4);
    const badPreset = await owner.call('POST', `/projects/${projectId}/renders`, { preset: 'mp4-8k' });
    expect(badPreset.status).toBe(400);
    expect(badPreset.body.error?.message).toMatch(/body\.preset/);
    const badRange = await owner.call('POST', `/projects/${projectId}/renders`, { preset: 'mp4-720p', range: { start: 3, end: 2 } });
    expect(badRange.status).toBe(400);
    const past = await owner.call('POST', `/projects/${projectId}/renders`, { preset: 'mp4-720p', range: { start: 0, end: 60 } });
    expect(past.status).toBe(400);
  });

  it('pins the saved timeline, queues the job, lists, cancels, and has no output until done', async () => {
    const created = await owner.call('POST', `/projects/${projectId}/renders`, { preset: 'mp4-720p', range: { start: 1, end: 3 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const render = created.body.render as { id: string; state: string; range: { start: number; end: number }; outputUrl: string | null };
    expect(render).toMatchObject({ state: 'queued', range: { start: 1, end: 3 }, outputUrl: null, requestedBy: { id: owner.userId, name: 'Exporter' } });
    const [row] = await server.db.sql<{ pinned_snapshot: { duration: number } }[]>`select pinned_snapshot from renders where id = ${render.id}`;
    expect(row?.pinned_snapshot.duration).toBe(4);

    // A later edit does not change what was pinned.
    await storeTimeline(8);
    const [again] = await server.db.sql<{ pinned_snapshot: { duration: number } }[]>`select pinned_snapshot from renders where id = ${render.id}`;
    expect(again?.pinned_snapshot.duration).toBe(4);

    const list = (await owner.call('GET', `/projects/${projectId}/renders`)).body.renders as { id: string }[];
    expect(list.map((r) => r.id)).toContain(render.id);
    expect((await owner.call('GET', `/renders/${render.id}/output`)).status).toBe(404);
    const cancelled = await owner.call('POST', `/renders/${render.id}/cancel`);
    expect(cancelled.body.render).toMatchObject({ state: 'cancelled' });
    expect((await owner.call('POST', `/renders/${render.id}/cancel`)).status).toBe(200);
    expect((await owner.call('GET', `/renders/${render.id}`)).body.render).toMatchObject({ state: 'cancelled' });
  });

  it('serves the bundled fonts the renderer uses', async () => {
    const response = await fetch(`${server.url}/fonts/Inter.ttf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('font/ttf');
    const head = new Uint8Array(await response.arrayBuffer()).slice(0, 4);
    expect([...head]).toEqual([0, 1, 0, 0]);
    expect((await fetch(`${server.url}/fonts/Comic%20Sans.ttf`)).status).toBe(404);
    expect((await fetch(`${server.url}/fonts/Roboto%20Mono-700.ttf`)).status).toBe(200);
  });
});
