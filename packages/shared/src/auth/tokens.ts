import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/**
 * Token format per the lucia-auth.com guide: `<id>.<secret>`, both 120 bits of
 * randomness in lower-case base32. Only SHA-256(secret) is stored; the id finds the row,
 * the hash is compared in constant time. API tokens carry the `ctk_` prefix so they can
 * never be mistaken for a session token (and secret scanners can find leaked ones).
 */
export const API_TOKEN_PREFIX = 'ctk_';

export function randomId(): string {
  const bytes = new Uint8Array(15);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  return constantTimeEqual(hashSecret(secret), storedHash);
}

export type ParsedToken = { kind: 'session' | 'api'; id: string; secret: string };

const part = /^[a-z2-7]{24}$/;

/** Splits a presented token; anything malformed is null (and never reaches the database). */
export function parseToken(token: string): ParsedToken | null {
  const kind = token.startsWith(API_TOKEN_PREFIX) ? 'api' : 'session';
  const body = kind === 'api' ? token.slice(API_TOKEN_PREFIX.length) : token;
  const [id, secret, extra] = body.split('.');
  if (extra !== undefined || !id || !secret || !part.test(id) || !part.test(secret)) return null;
  return { kind, id, secret };
}

export function newToken(kind: 'session' | 'api'): { id: string; secret: string; token: string } {
  const id = randomId();
  const secret = randomId();
  return { id, secret, token: `${kind === 'api' ? API_TOKEN_PREFIX : ''}${id}.${secret}` };
}
