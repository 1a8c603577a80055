import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { snapshot } from '@cutline/timeline';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { open, until, type Client } from './support/clients.ts';
import { startSyncProcess, TEST_SECRET, type SyncProcess } from './support/sync-process.ts';
import { forEachTransport } from './support/transports.ts';
import { commentsOf, timelineOf, world, type TestUser } from './support/world.ts';

forEachTransport('internal edit endpoint', (variant) => {
  let db: TestDatabase;
  let sync: SyncProcess;
  let editor: TestUser;
  let viewer: TestUser;
  let project: string;
  const clients: Client[] = [];

  const post = (body: unknown, { secret = TEST_SECRET, type = 'application/json' }: { secret?: string | null; type?: string } = {}) =>
    fetch(`${sync.http}/internal/v1/edits`, {
      method: 'POST',
      headers: { 'content-type': type, ...(secret === null ? {} : { authorization: `Bearer ${secret}` }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const rows = async (documentName: string) =>
    db.sql<{ origin: { source: string; userId?: string } }[]>`select origin from doc_updates where doc_name = ${documentName} order by id`;

  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    sync = await startSyncProcess({ variant, databaseUrl: db.url });
    const w = world(db.sql);
    const owner = await w.user('Owner');
    editor = await w.user('Editor');
    viewer = await w.user('Viewer');
    project = await w.project(owner);
    await w.member(project, editor, 'editor');
    await w.member(project, viewer, 'viewer');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sync?.crash();
    await db?.drop();
  });

  it('[SY61] a batch runs as one transaction, is stored with its origin, and editors see it live', async () => {
    const documentName = timelineOf(project);
    const live = await open({ url: sync.url, documentName, token: editor.token });
    clients.push(live);
    const before = (await rows(documentName)).length;
    let updates = 0;
    live.doc.on('update', () => (updates += 1));
    const response = await post({
      documentName,
      origin: { source: 'mcp', userId: editor.id },
      commands: [
        { type: 'addTrack', kind: 'video', name: 'V1' },
        { type: 'addColorClip', trackId: '$0.trackId', color: '#ff0000', start: 0, duration: 2 },
        { type: 'addMarker', time: 1, label: 'here' },
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { documentName: string; results: Array<Record<string, string>> };
    expect(body.documentName).toBe(documentName);
    const [track, clip, marker] = body.results;
    expect(track?.trackId).toMatch(/^[A-Za-z0-9_-]+$/);
    await until([live.doc], () => snapshot(live.doc).clips.some((c) => c.id === clip?.clipId), { what: 'the clip to arrive live' });
    const seen = snapshot(live.doc);
    expect(seen.tracks.map((t) => t.id)).toContain(track?.trackId);
    expect(seen.markers.map((m) => m.id)).toContain(marker?.markerId);
    expect(updates).toBe(1);
    const stored = await rows(documentName);
    expect(stored.slice(before)).toEqual([{ origin: { source: 'mcp', userId: editor.id } }]);
  });

  it('[SY62] a TimelineError answers 4xx {error:{code,message}} and changes nothing', async () => {
    const documentName = timelineOf(project);
    const before = (await rows(documentName)).length;
    const response = await post({
      documentName,
      origin: { source: 'api', userId: editor.id },
      commands: [
        { type: 'addMarker', time: 3 },
        { type: 'removeClip', clipId: 'no_such_clip' },
      ],
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'unknown_id', message: expect.any(String), commandIndex: 1 } });
    const invalid = await post({ documentName, origin: { source: 'api', userId: editor.id }, commands: [{ type: 'addMarker', time: 'soon' }] });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('invalid_command');
    expect((await rows(documentName)).length).toBe(before);
  });

  it('[SY60] refuses a wrong or missing secret', async () => {
    const body = { documentName: timelineOf(project), origin: { source: 'api', userId: editor.id }, commands: [{ type: 'addMarker', time: 1 }] };
    for (const secret of [null, 'nope', `${TEST_SECRET}x`]) {
      const response = await post(body, { secret });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it.each([
    ['not JSON', '{', 400, 'invalid_json'],
    ['an unknown field', { documentName: 'project/x/timeline', origin: { source: 'api', userId: 'u' }, commands: [{}], extra: 1 }, 400, 'invalid_request'],
    ['a user source that is not a program', { documentName: 'project/x/timeline', origin: { source: 'user', userId: 'u' }, commands: [{}] }, 400, 'invalid_request'],
    ['no commands', { documentName: 'project/x/timeline', origin: { source: 'api', userId: 'u' }, commands: [] }, 400, 'invalid_request'],
    ['a bad document name', { documentName: '../etc/passwd', origin: { source: 'api', userId: 'u' }, commands: [{}] }, 400, 'invalid_document'],
  ])('[SY63] refuses %s with a 4xx', async (_label, body, status, code) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('[SY63] refuses a user without write access, and the comments document', async () => {
    const asViewer = await post({ documentName: timelineOf(project), origin: { source: 'assistant', userId: viewer.id }, commands: [{ type: 'addMarker', time: 1 }] });
    expect(asViewer.status).toBe(403);
    const comments = await post({ documentName: commentsOf(project), origin: { source: 'api', userId: editor.id }, commands: [{ type: 'addMarker', time: 1 }] });
    expect(comments.status).toBe(400);
    expect(((await comments.json()) as { error: { code: string } }).error.code).toBe('unsupported_document');
  });

  it('[SY64] an edit to a document nobody has open is stored and loads', async () => {
    const w = world(db.sql);
    const other = await w.project(editor);
    const documentName = timelineOf(other);
    const response = await post({ documentName, origin: { source: 'api', userId: editor.id }, commands: [{ type: 'addMarker', time: 2, label: 'cold' }] });
    expect(response.status).toBe(200);
    const reader = await open({ url: sync.url, documentName, token: editor.token });
    clients.push(reader);
    expect(snapshot(reader.doc).markers.map((m) => m.label)).toEqual(['cold']);
  });
});
