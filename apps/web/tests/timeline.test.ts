import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommands, createTimelineDoc, originFor } from '@cutline/timeline';
import { signUp, startWeb, type WebServer } from './harness.ts';

describe('GET /projects/{id}/timeline (web only)', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWeb();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('reads snapshot + log rows as the timeline, and sees a row another process adds once its notice arrives', async () => {
    const owner = await signUp(server);
    const id = ((await owner.call('POST', '/projects', { name: 'p' })).body.project as { id: string }).id;
    const empty = (await owner.call('GET', `/projects/${id}/timeline`)).body.timeline as { tracks: unknown[]; duration: number };
    expect(empty).toMatchObject({ tracks: [], duration: 0 });

    // What sync would have stored: an initialised doc, then an edit as a separate row.
    const doc = createTimelineDoc();
    await server.db.sql`insert into doc_snapshots (doc_name, state, last_update_id) values (${`project/${id}/timeline`}, ${Y.encodeStateAsUpdate(doc)}, 0)`;
    const before = Y.encodeStateVector(doc);
    applyCommands(doc, [{ type: 'addTrack', kind: 'video', name: 'V1' }, { type: 'addColorClip', trackId: '$0.trackId', color: '#ff0000', start: 1, duration: 2 }], originFor('api', owner.userId));
    await server.db.sql`insert into doc_updates (doc_name, update) values (${`project/${id}/timeline`}, ${Y.encodeStateAsUpdate(doc, before)})`;

    // The first GET left a copy in memory; the row's commit notice (migration 006) drops it,
    // but that notice races this request, so wait for it instead of assuming it came first.
    const read = async () => {
      const response = await fetch(`${server.url}/api/v1/projects/${id}/timeline`, { headers: { authorization: `Bearer ${owner.token}` } });
      return { response, ...((await response.json()) as { timeline: { tracks: { name: string }[]; duration: number } }) };
    };
    await expect.poll(async () => (await read()).timeline.tracks.map((t) => t.name), { timeout: 5_000, interval: 50 }).toEqual(['V1']);
    const { response, timeline } = await read();
    expect(timeline.tracks.map((t) => t.name)).toEqual(['V1']);
    expect(timeline.duration).toBe(3);
    const etag = response.headers.get('etag') ?? '';
    const again = await fetch(`${server.url}/api/v1/projects/${id}/timeline`, { headers: { authorization: `Bearer ${owner.token}`, 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('timeline commands without a reachable sync server fail cleanly with 503 and change nothing', async () => {
    const owner = await signUp(server);
    const id = ((await owner.call('POST', '/projects', { name: 'p' })).body.project as { id: string }).id;
    const result = await owner.call('POST', `/projects/${id}/timeline/commands`, { commands: [{ type: 'addTrack', kind: 'video' }] });
    expect(result.status).toBe(503);
    expect(((await owner.call('GET', `/projects/${id}/timeline`)).body.timeline as { tracks: unknown[] }).tracks).toEqual([]);
  });
});
