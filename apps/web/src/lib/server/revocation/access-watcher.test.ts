import { describe, expect, it } from 'vitest';
import type { Principal } from '@cutline/shared/auth';
import { lostAccess } from './access-watcher.ts';

const user = { id: 'u1', email: 'u@example.com', name: 'U' };
const viaSession: Principal = { user, via: { kind: 'session', sessionId: 's1' } };
const viaToken: Principal = { user, via: { kind: 'api', tokenId: 't1' } };

describe('lostAccess', () => {
  const live = new Set(['session:s1', 'api:t1']);
  it('keeps a grant whose credential is live and whose role allows the action', () => {
    expect(lostAccess({ grant: { principal: viaSession, projectId: 'p', action: 'project.read' }, liveCredentials: live, roles: new Map([['p:u1', 'viewer']]) })).toBeNull();
  });
  it('names what was lost: the session, the token, or the membership (or the right)', () => {
    expect(lostAccess({ grant: { principal: viaSession, projectId: 'p', action: 'project.read' }, liveCredentials: new Set(), roles: new Map([['p:u1', 'owner']]) })).toBe('session');
    expect(lostAccess({ grant: { principal: viaToken, projectId: 'p', action: 'project.read' }, liveCredentials: new Set(['session:s1']), roles: new Map([['p:u1', 'owner']]) })).toBe('api_token');
    expect(lostAccess({ grant: { principal: viaToken, projectId: 'p', action: 'project.read' }, liveCredentials: live, roles: new Map() })).toBe('member');
    expect(lostAccess({ grant: { principal: viaToken, projectId: 'p', action: 'timeline.write' }, liveCredentials: live, roles: new Map([['p:u1', 'viewer']]) })).toBe('member');
  });
});
