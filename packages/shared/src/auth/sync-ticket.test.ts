import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { verifyToken } from './principal.ts';
import { createSession, invalidateSession } from './sessions.ts';
import { createSyncTicket, readSyncTicket, SYNC_TICKET_TTL_MS } from './sync-ticket.ts';
import { createUser } from './users.ts';

const secret = 's'.repeat(40);

describe('sync tickets', () => {
  it('round-trip while fresh; refused when expired, tampered or signed with another secret', () => {
    const now = 1_000_000;
    const { token } = createSyncTicket({ secret, userId: 'u1', sessionId: 's1', now });
    expect(readSyncTicket({ secret, token, now })).toEqual({ userId: 'u1', sessionId: 's1', expiresAt: now + SYNC_TICKET_TTL_MS });
    expect(readSyncTicket({ secret, token, now: now + SYNC_TICKET_TTL_MS })).toBeNull();
    expect(readSyncTicket({ secret: 'x'.repeat(40), token, now })).toBeNull();
    const [payload, mac] = token.split('.');
    const forged = `cst_${Buffer.from(JSON.stringify({ u: 'admin', s: 's1', e: now * 2 })).toString('base64url')}.${mac}`;
    expect(readSyncTicket({ secret, token: forged, now })).toBeNull();
    expect(readSyncTicket({ secret, token: `${payload}.${mac}.x`, now })).toBeNull();
    expect(readSyncTicket({ secret, token: 'cst_garbage', now })).toBeNull();
  });

  describe('as a sync credential', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    });
    afterAll(async () => {
      await db.drop();
    });

    it('is accepted only with the secret and only while its session lives', async () => {
      const user = await createUser({ sql: db.sql, email: 't@example.com', name: 'T', password: null });
      const { session } = await createSession({ sql: db.sql, userId: user.id });
      const { token } = createSyncTicket({ secret, userId: user.id, sessionId: session.id });
      expect(await verifyToken({ sql: db.sql, token })).toBeNull();
      expect(await verifyToken({ sql: db.sql, token, ticketSecret: secret })).toEqual({ user, via: { kind: 'session', sessionId: session.id } });
      await invalidateSession({ sql: db.sql, sessionId: session.id });
      expect(await verifyToken({ sql: db.sql, token, ticketSecret: secret })).toBeNull();
    });
  });
});
