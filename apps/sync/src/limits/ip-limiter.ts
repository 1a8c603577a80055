/**
 * Open WebSockets per client address. The address is always the socket's peer address
 * (SPEC.md SY24): a header such as X-Forwarded-For is whatever the client wants it to be.
 */
export class IpLimiter {
  private readonly counts = new Map<string, number>();
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  /** Reserves a slot; false when the address already has `max` sockets open. */
  acquire(ip: string): boolean {
    const n = this.counts.get(ip) ?? 0;
    if (n >= this.max) return false;
    this.counts.set(ip, n + 1);
    return true;
  }

  release(ip: string): void {
    const n = this.counts.get(ip) ?? 0;
    if (n <= 1) this.counts.delete(ip);
    else this.counts.set(ip, n - 1);
  }

  count(ip: string): number {
    return this.counts.get(ip) ?? 0;
  }
}

/**
 * One spelling per client: `::ffff:127.0.0.1` (Node), `0000:…:ffff:7f00:0001` (uWS on a
 * dual-stack socket) and `127.0.0.1` are the same IPv4 client.
 */
export function normalizeAddress(address: string | undefined | null): string {
  if (!address) return 'unknown';
  const lower = address.trim().toLowerCase();
  const dotted = /^(?:(?:0{1,4}:){5}|::(?:0{1,4}:)?)ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:0{1,4}:){5}ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return lower;
}
