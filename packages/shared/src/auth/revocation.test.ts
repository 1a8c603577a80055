import { describe, expect, it } from 'vitest';
import { credentialKey, parseAuthNotification, roleIn } from './revocation.ts';
import type { Principal } from './principal.ts';

const user = { id: 'u1', email: 'a@example.com', name: 'Ada' };

describe('revocation contract', () => {
  it('reads the three notices migration 002 sends and nothing else', () => {
    expect(parseAuthNotification('{"kind":"member","projectId":"p","userId":"u1"}')).toEqual({ kind: 'member', projectId: 'p', userId: 'u1' });
    expect(parseAuthNotification('{"kind":"session","id":"s1"}')).toEqual({ kind: 'session', id: 's1' });
    expect(parseAuthNotification('{"kind":"api_token","id":"t1"}')).toEqual({ kind: 'api_token', id: 't1' });
    expect(parseAuthNotification('{"kind":"member","projectId":"p"}')).toBeNull();
    expect(parseAuthNotification('not json')).toBeNull();
  });

  it('keys a credential by how the principal authenticated, and a role by project and user', () => {
    const bySession: Principal = { user, via: { kind: 'session', sessionId: 's1' } };
    const byToken: Principal = { user, via: { kind: 'api', tokenId: 't1' } };
    expect([credentialKey(bySession), credentialKey(byToken)]).toEqual(['session:s1', 'api:t1']);
    const facts = { liveCredentials: new Set<string>(), roles: new Map([['p:u1', 'editor' as const]]) };
    expect(roleIn(facts, { principal: bySession, projectId: 'p' })).toBe('editor');
    expect(roleIn(facts, { principal: bySession, projectId: 'q' })).toBeNull();
  });
});
