import { isIPv4, isIPv6 } from 'node:net';
import { normalizeAddress } from '../limits/ip-limiter.ts';

/**
 * Is `address` (a socket's peer address) on loopback or a private network? The internal
 * edit endpoint answers only these (SPEC.md SY60): RFC 1918 IPv4, 127/8, ::1, fc00::/7
 * (unique local) and fe80::/10 (link local). Headers such as X-Forwarded-For are never
 * consulted.
 */
export function isPrivateAddress(address: string | undefined | null): boolean {
  const ip = normalizeAddress(address);
  if (isIPv4(ip)) {
    const [a = -1, b = -1] = ip.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (isIPv6(ip)) {
    if (ip === '::1' || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(ip)) return true;
    const first = parseInt(ip.split(':')[0] || '0', 16);
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
  }
  return false;
}
