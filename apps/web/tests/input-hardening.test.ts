import { connect } from 'node:net';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommands, createTimelineDoc, originFor } from '@cutline/timeline';
import { signUp, startWeb, type Client, type WebServer } from './harness.ts';

const UPLOAD_LIMIT = 1024 * 1024;

/** One HTTP/1.1 exchange on a raw socket: the head is sent as is (lengths may lie). */
function rawExchange(server: WebServer, head: string, body = ''): Promise<{ status: number; head: string; body: string; closed: boolean }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    let answered = false;
    const answer = (closed: boolean) => {
      const end = data.indexOf('\r\n\r\n');
      if (answered || end < 0) return;
      const responseHead = data.slice(0, end);
      const length = Number(/content-length: *(\d+)/i.exec(responseHead)?.[1] ?? 'NaN');
      const responseBody = data.slice(end + 4);
      if (!closed && !(responseBody.length >= length)) return;
      answered = true;
      resolve({ status: Number(responseHead.split(' ')[1]), head: responseHead, body: responseBody, closed });
      socket.destroy();
    };
    socket.on('connect', () => socket.write(head + body));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      answer(false);
    });
    socket.on('end', () => answer(true));
    socket.on('close', () => {
      answer(true);
      if (!answered) reject(new Error(`closed without an answer: ${JSON.stringify(data)}`));
    });
    socket.on('error', () => {});
  });
}

/** A body sent chunked (no Content-Length) of `bytes` bytes. */
function chunked(bytes: number, prefix = ''): ReadableStream<Uint8Array> {
  let sent = 0;
  const piece = new Uint8Array(64 * 1024).fill(0x20);
  return new ReadableStream({
    pull(controller) {
      if (sent === 0 && prefix) {
        controller.enqueue(new TextEncoder().encode(prefix));
      }
      if (sent >= bytes) return controller.close();
      sent += piece.byteLength;
      controller.enqueue(piece);
    },
  });
}

describe('[issue 12] bad input gets a clear 4xx, never a 500, a 503 or a reset', () => {
  let server: WebServer;
  let owner: Client;
  let projectId: string;
  beforeAll(async () => {
    server = await startWeb({ MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT), BODY_IDLE_TIMEOUT_MS: '1000' });
    owner = await signUp(server, 'Hardened');
    projectId = ((await owner.call('POST', '/projects', { name: 'inputs' })).body.project as { id: string }).id;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('refuses NUL characters in any text with 400, naming the field', async () => {
    const project = await owner.call('POST', '/projects', { name: 'a\u0000b' });
    expect(project.status, JSON.stringify(project.body)).toBe(400);
    expect(project.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/body\.name: .*NUL/) });
    const rename = await owner.call('PATCH', `/projects/${projectId}`, { name: 'x\u0000' });
    expect(rename.status).toBe(400);
    const anonymous = await fetch(`${server.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `nul.${Date.now()}@example.com`, password: 'correct horse battery', name: 'Nul\u0000Name' }),
    });
    expect(anonymous.status).toBe(400);
    const token = await owner.call('POST', '/tokens', { name: '\u0000' });
    expect(token.status).toBe(400);
    const upload = await fetch(`${server.url}/api/v1/projects/${projectId}/assets?filename=a%00b.mp4`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'video/mp4' },
      body: 'not really a video',
    });
    expect(upload.status).toBe(400);
    expect(((await upload.json()) as { error: { message: string } }).error.message).toMatch(/query\.filename/);
    const command = await owner.call('POST', `/projects/${projectId}/timeline/commands`, { commands: [{ type: 'addMarker', time: 1, label: 'in\u0000side' }] });
    expect(command.status).toBe(400);
  });

  it('refuses a render range of 1e308 seconds with 400 and a clear message', async () => {
    const doc = createTimelineDoc();
    applyCommands(doc, [{ type: 'addTrack', kind: 'video' }, { type: 'addColorClip', trackId: '$0.trackId', color: '#00ff00', start: 0, duration: 2 }], originFor('api', owner.userId));
    await server.db.sql`insert into doc_updates (doc_name, update) values (${`project/${projectId}/timeline`}, ${Y.encodeStateAsUpdate(doc)})`;
    for (const range of [{ start: 0, end: 1e308 }, { start: 1e308 }]) {
      const result = await owner.call('POST', `/projects/${projectId}/renders`, { preset: 'mp4-720p', range });
      expect(result.status, JSON.stringify(result.body)).toBe(400);
      expect(result.body.error?.message).toMatch(/at most 86400 seconds/);
    }
  });

  it('refuses a command nested 200,000 levels deep with 400 (not 503 sync_unavailable)', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const response = await fetch(`${server.url}/api/v1/projects/${projectId}/timeline/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: `{"commands":[{"type":"addTrack","kind":"video","extra":${deep}}]}`,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/nested more than 64 levels/);
  });

  it('answers 413 with the JSON error to over-limit bodies sent chunked (JSON, raw and multipart uploads)', async () => {
    const json = await fetch(`${server.url}/api/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: chunked(3 * 1024 * 1024, '{"name":"'),
      duplex: 'half',
    } as RequestInit);
    expect(json.status).toBe(413);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const raw = await fetch(`${server.url}/api/v1/projects/${projectId}/assets?filename=big.mp4`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'video/mp4' },
      body: chunked(UPLOAD_LIMIT + 24 * 1024 * 1024),
      duplex: 'half',
    } as RequestInit);
    expect(raw.status).toBe(413);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const boundary = 'cutline-boundary';
    const multipart = await fetch(`${server.url}/api/v1/projects/${projectId}/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: chunked(UPLOAD_LIMIT + 24 * 1024 * 1024, `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.mp4"\r\ncontent-type: video/mp4\r\n\r\n`),
      duplex: 'half',
    } as RequestInit);
    expect(multipart.status).toBe(413);
    expect(((await multipart.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    // Nothing was kept, and the server still answers.
    expect((await owner.call('GET', `/projects/${projectId}/assets`)).body.assets).toEqual([]);
  });

  it('refuses a declared 3 GiB body at once, without waiting for it', { timeout: 20_000 }, async () => {
    const auth = `authorization: Bearer ${owner.token}\r\nhost: 127.0.0.1\r\n`;
    const upload = await rawExchange(server, `POST /api/v1/projects/${projectId}/assets?filename=huge.mp4 HTTP/1.1\r\n${auth}content-type: video/mp4\r\ncontent-length: ${3 * 1024 ** 3}\r\n\r\n`);
    expect(upload.status).toBe(413);
    expect(JSON.parse(upload.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    const json = await rawExchange(server, `POST /api/v1/projects HTTP/1.1\r\n${auth}content-type: application/json\r\ncontent-length: ${3 * 1024 ** 3}\r\n\r\n`);
    expect(json.status).toBe(413);
  });

  it('answers 408 and closes the connection when a body stalls (BODY_IDLE_TIMEOUT_MS)', { timeout: 20_000 }, async () => {
    const auth = `authorization: Bearer ${owner.token}\r\nhost: 127.0.0.1\r\n`;
    const upload = await rawExchange(server, `POST /api/v1/projects/${projectId}/assets?filename=slow.mp4 HTTP/1.1\r\n${auth}content-type: video/mp4\r\ncontent-length: 1000\r\n\r\n`, 'only a few bytes');
    expect(upload.status).toBe(408);
    expect(upload.head).toMatch(/connection: close/i);
    expect(JSON.parse(upload.body)).toMatchObject({ error: { code: 'request_timeout' } });
    const multipart = await rawExchange(
      server,
      `POST /api/v1/projects/${projectId}/assets HTTP/1.1\r\n${auth}content-type: multipart/form-data; boundary=b\r\ncontent-length: 1000\r\n\r\n`,
      '--b\r\ncontent-disposition: form-data; name="file"; filename="slow.mp4"\r\ncontent-type: video/mp4\r\n\r\nsome bytes',
    );
    expect(multipart.status).toBe(408);
    const json = await rawExchange(server, `POST /api/v1/projects HTTP/1.1\r\n${auth}content-type: application/json\r\ncontent-length: 1000\r\n\r\n`, '{"name":');
    expect(json.status).toBe(408);
    expect((await owner.call('GET', `/projects/${projectId}/assets`)).body.assets).toEqual([]);
  });
});

describe('[issue 12] adapter-node BODY_SIZE_LIMIT left at its default', () => {
  let server: WebServer;
  let owner: Client;
  beforeAll(async () => {
    server = await startWeb({ BODY_SIZE_LIMIT: '512K' });
    owner = await signUp(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 413 with the JSON error when the adapter cuts an upload short', async () => {
    const projectId = ((await owner.call('POST', '/projects', { name: 'small bodies' })).body.project as { id: string }).id;
    for (const body of [new Uint8Array(1024 * 1024), chunked(1024 * 1024)]) {
      const response = await fetch(`${server.url}/api/v1/projects/${projectId}/assets?filename=a.mp4`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'video/mp4' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    }
  });
});
