import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, signUp, startWeb, type WebServer } from './harness.ts';

describe('accounts over /api/v1', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWeb();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('signs up, sets an HttpOnly SameSite=Lax session cookie, and knows who you are', async () => {
    const response = await fetch(`${server.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'Ada@Example.com', password: 'analytical engine', name: 'Ada' }),
    });
    expect(response.status).toBe(201);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^cutline_session=[a-z2-7]{24}\.[a-z2-7]{24};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(await me.json()).toEqual({ user: { id: expect.any(String), email: 'ada@example.com', name: 'Ada' } });
  });

  it('rejects bad sign-ups with a clear 4xx and never a 500', async () => {
    const anonymous = client(server, null);
    const cases: [unknown, number, RegExp][] = [
      [{ email: 'not-an-email', password: 'long enough pw', name: 'X' }, 400, /body\.email/],
      [{ email: 'x@example.com', password: 'short', name: 'X' }, 400, /body\.password/],
      [{ email: 'x@example.com', password: 'long enough pw', name: '' }, 400, /body\.name/],
      [{ email: 'x@example.com', password: 'long enough pw', name: 'X'.repeat(101) }, 400, /body\.name/],
      [[1, 2, 3], 400, /body/],
      [null, 400, /body/],
    ];
    for (const [body, status, message] of cases) {
      const result = await anonymous.call('POST', '/auth/signup', body);
      expect(result.status, JSON.stringify(body)).toBe(status);
      expect(result.body.error?.code).toBe('invalid_input');
      expect(result.body.error?.message).toMatch(message);
    }
    const notJson = await fetch(`${server.url}/api/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    const wrongType = await fetch(`${server.url}/api/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect([400, 403]).toContain(wrongType.status);
    const huge = await fetch(`${server.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@example.com', password: 'long enough pw', name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
  });

  it('refuses a duplicate email with 409', async () => {
    const anonymous = client(server, null);
    const body = { email: 'twin@example.com', password: 'long enough pw', name: 'Twin' };
    expect((await anonymous.call('POST', '/auth/signup', body)).status).toBe(201);
    const again = await anonymous.call('POST', '/auth/signup', { ...body, email: 'TWIN@example.com' });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('email_taken');
  });

  it('logs in, logs out, and logs out everywhere', async () => {
    const anonymous = client(server, null);
    await anonymous.call('POST', '/auth/signup', { email: 'grace@example.com', password: 'compiler pioneer', name: 'Grace' });
    const first = await anonymous.call('POST', '/auth/login', { email: 'GRACE@example.com', password: 'compiler pioneer' });
    const second = await anonymous.call('POST', '/auth/login', { email: 'grace@example.com', password: 'compiler pioneer' });
    expect(first.status).toBe(200);
    const a = client(server, String(first.body.token));
    const b = client(server, String(second.body.token));
    expect((await a.call('POST', '/auth/logout', {})).status).toBe(204);
    expect((await a.call('GET', '/me')).status).toBe(401);
    expect((await b.call('GET', '/me')).status).toBe(200);
    expect((await b.call('POST', '/auth/logout', { everywhere: true })).status).toBe(204);
    expect((await b.call('GET', '/me')).status).toBe(401);
  });

  it('a wrong password is 401, and ten failures lock the account out with 429', async () => {
    const anonymous = client(server, null);
    await anonymous.call('POST', '/auth/signup', { email: 'locked@example.com', password: 'the right one!', name: 'L' });
    for (let i = 0; i < 10; i++) {
      const wrong = await anonymous.call('POST', '/auth/login', { email: 'locked@example.com', password: `guess ${i}` });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error?.code).toBe('invalid_credentials');
    }
    const blocked = await anonymous.call('POST', '/auth/login', { email: 'locked@example.com', password: 'the right one!' });
    expect(blocked.status).toBe(429);
    // An unknown account answers exactly like a wrong password.
    const unknown = await anonymous.call('POST', '/auth/login', { email: 'nobody@example.com', password: 'whatever it is' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error?.code).toBe('invalid_credentials');
  });

  it('API tokens: shown once, usable as Bearer, listed without secret, revoked', async () => {
    const me = await signUp(server, 'Token Owner');
    const created = await me.call('POST', '/tokens', { name: 'ci robot' });
    expect(created.status).toBe(201);
    const token = String(created.body.token);
    expect(token).toMatch(/^ctk_/);
    const robot = client(server, token);
    expect((await robot.call('GET', '/me')).body.user).toMatchObject({ id: me.userId });
    const list = await me.call('GET', '/tokens');
    expect(JSON.stringify(list.body)).not.toContain(token.slice(4));
    const tokenId = (created.body.apiToken as { id: string }).id;
    expect((await me.call('DELETE', `/tokens/${tokenId}`)).status).toBe(204);
    expect((await robot.call('GET', '/me')).status).toBe(401);
    expect((await me.call('DELETE', `/tokens/${tokenId}`)).status).toBe(404);
  });
});

describe('cross-site requests', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWeb();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('a mutating request from another site is refused even with a valid cookie; programs without Origin pass', async () => {
    const signup = await fetch(`${server.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'csrf@example.com', password: 'long enough pw', name: 'C' }),
    });
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const forged = await fetch(`${server.url}/api/v1/projects`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'pwned' }),
    });
    expect(forged.status).toBe(403);
    const sameSite = await fetch(`${server.url}/api/v1/projects`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'mine' }),
    });
    expect(sameSite.status).toBe(201);
    const projects = await fetch(`${server.url}/api/v1/projects`, { headers: { cookie } });
    expect(((await projects.json()) as { projects: { name: string }[] }).projects.map((p) => p.name)).toEqual(['mine']);
  });
});
