import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startWeb, type Client, type WebServer } from './harness.ts';

const LIMIT = 64 * 1024;

describe('asset uploads and files (web only, no worker)', () => {
  let server: WebServer;
  let storageDir: string;
  let owner: Client;
  let projectId: string;
  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'cutline-web-storage-'));
    server = await startWeb({ STORAGE_DIR: storageDir, MAX_UPLOAD_BYTES: String(LIMIT) });
    owner = await signUp(server, 'Uploader');
    projectId = ((await owner.call('POST', '/projects', { name: 'media' })).body.project as { id: string }).id;
  });
  afterAll(async () => {
    await server.stop();
  });

  const upload = (body: BodyInit, headers: Record<string, string> = {}, query = '?filename=clip.mp4', token = owner.token) =>
    fetch(`${server.url}/api/v1/projects/${projectId}/assets${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body });

  const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 7) % 256);

  it('stores a raw upload under its id, records its hash, queues ingest, and serves ranges to members', async () => {
    const response = await upload(bytes(10_000), { 'content-type': 'video/mp4' });
    expect(response.status).toBe(201);
    const { asset } = (await response.json()) as { asset: { id: string; state: string; originalName: string; byteSize: number; contentHash: string; urls: { original: string } } };
    expect(asset).toMatchObject({ state: 'uploaded', originalName: 'clip.mp4', byteSize: 10_000 });
    expect(asset.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const [job] = await server.db.sql<{ task_identifier: string; payload: { assetId: string } }[]>`
      select t.identifier as task_identifier, j.payload
      from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id`;
    expect(job?.task_identifier).toBe('ingest');
    // A JSON object (not a JSON string holding one): the worker reads payload.assetId.
    expect(job?.payload).toMatchObject({ assetId: asset.id });

    const ranged = await fetch(`${server.url}${asset.urls.original}`, { headers: { authorization: `Bearer ${owner.token}`, range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe('bytes 100-199/10000');
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(bytes(10_000).slice(100, 200));
    const suffix = await fetch(`${server.url}${asset.urls.original}`, { headers: { authorization: `Bearer ${owner.token}`, range: 'bytes=-10' } });
    expect(suffix.headers.get('content-range')).toBe('bytes 9990-9999/10000');
    const past = await fetch(`${server.url}${asset.urls.original}`, { headers: { authorization: `Bearer ${owner.token}`, range: 'bytes=20000-' } });
    expect(past.status).toBe(416);
    const whole = await fetch(`${server.url}${asset.urls.original}`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(whole.headers.get('content-disposition')).toBe('attachment; filename="clip.mp4"');
    expect((await whole.arrayBuffer()).byteLength).toBe(10_000);

    const outsider = await signUp(server, 'Outsider');
    expect((await fetch(`${server.url}${asset.urls.original}`, { headers: { authorization: `Bearer ${outsider.token}` } })).status).toBe(404);
    expect((await fetch(`${server.url}${asset.urls.original}`)).status).toBe(401);
    expect((await owner.call('GET', `/assets/${asset.id}/proxy`)).body.error?.message).toMatch(/not ready/);
  });

  it('accepts multipart/form-data and never turns the file name into a path', async () => {
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('file', new Blob([bytes(2048)], { type: 'audio/wav' }), '../../etc/passwd\\x.wav');
    const response = await upload(form, {}, '');
    expect(response.status, await response.clone().text()).toBe(201);
    const { asset } = (await response.json()) as { asset: { id: string; originalName: string } };
    // The multipart parser keeps only the base name; either way no name reaches a path.
    expect(asset.originalName).toBe('x.wav');
    expect(await readdir(join(storageDir, 'assets', asset.id))).toEqual(['original']);
  });

  it('refuses an empty file and one over the limit with clear 4xx, leaving no file behind', async () => {
    const before = await readdir(join(storageDir, 'assets'));
    const empty = await upload(new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(/empty/);
    const declared = await upload(bytes(LIMIT + 1));
    expect(declared.status).toBe(413);
    // Without a Content-Length (chunked), the limit is enforced while streaming.
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(bytes(8192));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/api/v1/projects/${projectId}/assets?filename=big.mp4`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}` },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const after = await readdir(join(storageDir, 'assets'));
    expect(after.sort()).toEqual(before.sort());
    const leftovers = await readdir(join(storageDir, '.tmp')).catch(() => []);
    expect(leftovers).toEqual([]);
    expect((await fetch(`${server.url}/healthz`)).status, 'the server survived').toBe(200);
  });

  it('viewers may read the library but not upload or delete', async () => {
    const viewer = await signUp(server, 'Viewer');
    const email = ((await viewer.call('GET', '/me')).body.user as { email: string }).email;
    await owner.call('POST', `/projects/${projectId}/members`, { email, role: 'viewer' });
    expect((await upload(bytes(10), {}, '?filename=x.mp4', viewer.token)).status).toBe(403);
    const assets = (await viewer.call('GET', `/projects/${projectId}/assets`)).body.assets as { id: string }[];
    expect(assets.length).toBeGreaterThan(0);
    const first = assets[0]?.id ?? '';
    expect((await viewer.call('DELETE', `/assets/${first}`)).status).toBe(403);
    expect((await owner.call('DELETE', `/assets/${first}`)).status).toBe(204);
    expect((await owner.call('GET', `/assets/${first}`)).status).toBe(404);
    expect(await readdir(join(storageDir, 'assets', first)).catch(() => [])).toEqual([]);
  });
});
