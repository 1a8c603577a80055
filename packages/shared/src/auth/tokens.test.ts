import { describe, expect, it } from 'vitest';
import { hashSecret, newToken, parseToken, secretMatches } from './tokens.ts';

describe('tokens', () => {
  it('session and API tokens parse back to their parts', () => {
    const session = newToken('session');
    expect(parseToken(session.token)).toEqual({ kind: 'session', id: session.id, secret: session.secret });
    const api = newToken('api');
    expect(api.token.startsWith('ctk_')).toBe(true);
    expect(parseToken(api.token)).toEqual({ kind: 'api', id: api.id, secret: api.secret });
  });

  it('are unique and carry 120 bits each side', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newToken('session').token));
    expect(seen.size).toBe(1000);
    expect(newToken('session').id).toMatch(/^[a-z2-7]{24}$/);
  });

  it.each(['', 'abc', 'a.b', 'x'.repeat(24), `${'a'.repeat(24)}.${'b'.repeat(24)}.c`, `${'A'.repeat(24)}.${'b'.repeat(24)}`, `ctk_${'a'.repeat(24)}`, "'; drop table users; --"])(
    'malformed token %j is refused before any lookup',
    (token) => {
      expect(parseToken(token)).toBeNull();
    },
  );

  it('compares secret hashes: the right secret matches, any other does not', () => {
    const { secret } = newToken('session');
    const stored = hashSecret(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(`${secret.slice(0, -1)}a`, stored)).toBe(secret.endsWith('a'));
    expect(secretMatches(newToken('session').secret, stored)).toBe(false);
  });
});
