import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './private-address.ts';
import { bearer, secretMatches } from './secret.ts';

describe('internal endpoint checks', () => {
  it.each(['127.0.0.1', '127.1.2.3', '10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.10', '::1', '::ffff:127.0.0.1', 'fd12:3456::1', 'fe80::1'])(
    '[SY60] %s is loopback or private',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['8.8.8.8', '172.15.0.1', '172.32.0.1', '192.169.0.1', '100.64.0.1', '2001:db8::1', '::ffff:8.8.8.8', '', 'localhost', 'not an address'])(
    '[SY60] %s is not',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );

  it('[SY60] the secret is compared whole, whatever the lengths', () => {
    const secret = 'a'.repeat(40);
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(`${secret}b`, secret)).toBe(false);
    expect(secretMatches(secret.slice(1), secret)).toBe(false);
    expect(secretMatches('', secret)).toBe(false);
    expect(secretMatches(null, secret)).toBe(false);
  });

  it('[SY60] reads a bearer token from Authorization', () => {
    expect(bearer('Bearer abc')).toBe('abc');
    expect(bearer('bearer  abc ')).toBe('abc');
    expect(bearer('Basic abc')).toBeNull();
    expect(bearer('Bearer a b')).toBeNull();
    expect(bearer(null)).toBeNull();
  });
});
