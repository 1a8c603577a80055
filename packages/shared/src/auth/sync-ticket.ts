import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';

/**
 * A short-lived ticket for the browser's WebSocket to the sync server. The session cookie
 * is HttpOnly (scripts cannot read it) and the sync server may live on another host, so
 * the web app mints `cst_<payload>.<mac>`: who, through which session, until when, signed
 * with SYNC_SECRET. Sync accepts it only while it is fresh AND the session behind it is
 * still valid, so logging out still disconnects.
 */
export const SYNC_TICKET_PREFIX = 'cst_';
export const SYNC_TICKET_TTL_MS = 2 * 60 * 1000;

export type SyncTicket = { userId: string; sessionId: string; expiresAt: number };

const encoder = new TextEncoder();

function mac(secret: string, payload: string): Uint8Array {
  return hmac(SHA256, encoder.encode(secret), encoder.encode(payload));
}

export function createSyncTicket({
  secret,
  userId,
  sessionId,
  now = Date.now(),
}: {
  secret: string;
  userId: string;
  sessionId: string;
  now?: number;
}): { token: string; expiresAt: Date } {
  const expiresAt = now + SYNC_TICKET_TTL_MS;
  const payload = encodeBase64urlNoPadding(encoder.encode(JSON.stringify({ u: userId, s: sessionId, e: expiresAt })));
  return { token: `${SYNC_TICKET_PREFIX}${payload}.${encodeBase64urlNoPadding(mac(secret, payload))}`, expiresAt: new Date(expiresAt) };
}

/** The ticket's claims if it is well-formed, correctly signed and not expired; else null. */
export function readSyncTicket({ secret, token, now = Date.now() }: { secret: string; token: string; now?: number }): SyncTicket | null {
  if (!token.startsWith(SYNC_TICKET_PREFIX) || token.length > 512) return null;
  const [payload, signature, extra] = token.slice(SYNC_TICKET_PREFIX.length).split('.');
  if (!payload || !signature || extra !== undefined) return null;
  try {
    if (!constantTimeEqual(decodeBase64urlIgnorePadding(signature), mac(secret, payload))) return null;
    const claims = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(payload))) as { u?: unknown; s?: unknown; e?: unknown };
    if (typeof claims.u !== 'string' || typeof claims.s !== 'string' || typeof claims.e !== 'number') return null;
    if (claims.e <= now) return null;
    return { userId: claims.u, sessionId: claims.s, expiresAt: claims.e };
  } catch {
    return null;
  }
}
