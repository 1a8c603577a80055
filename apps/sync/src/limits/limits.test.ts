import { describe, expect, it } from 'vitest';
import { IpLimiter, normalizeAddress } from './ip-limiter.ts';
import { TokenBucket } from './rate-limiter.ts';
import { UnauthenticatedBudget } from './unauthenticated-budget.ts';

describe('limits', () => {
  it('[SY22] a token bucket allows the burst, then the rate', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 20, now: 0 });
    let taken = 0;
    while (bucket.take(0)) taken += 1;
    expect(taken).toBe(20);
    expect(bucket.take(50)).toBe(false);
  });

  it('[SY22] tokens come back at the configured rate, up to the burst', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 20, now: 0 });
    for (let i = 0; i < 20; i++) bucket.take(0);
    expect([bucket.take(100), bucket.take(100)]).toEqual([true, false]);
    let afterAnHour = 0;
    while (bucket.take(3_600_000)) afterAnHour += 1;
    expect(afterAnHour).toBe(20);
  });

  it('[SY24] counts sockets per address and frees them', () => {
    const limiter = new IpLimiter(2);
    expect([limiter.acquire('a'), limiter.acquire('a'), limiter.acquire('a'), limiter.acquire('b')]).toEqual([true, true, false, true]);
    limiter.release('a');
    expect(limiter.acquire('a')).toBe(true);
    expect(limiter.count('a')).toBe(2);
  });

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['0000:0000:0000:0000:0000:ffff:7f00:0001', '127.0.0.1'],
    ['0:0:0:0:0:ffff:c0a8:0102', '192.168.1.2'],
    ['::1', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    [undefined, 'unknown'],
  ])('[SY24] %s is client %s', (raw, normalized) => {
    expect(normalizeAddress(raw)).toBe(normalized);
  });
});

describe('unauthenticated budget', () => {
  it('[SY27] bounds each socket and all sockets together, and gives bytes back', () => {
    const budget = new UnauthenticatedBudget({ perSocket: 10, overall: 15 });
    const a = { bytes: 0 };
    const b = { bytes: 0 };
    expect([budget.take(a, 8), budget.take(a, 3), budget.take(b, 8), budget.take(b, 7)]).toEqual([
      'ok',
      'over_socket_budget',
      'over_server_budget',
      'ok',
    ]);
    expect(budget.total).toBe(15);
    budget.release(a);
    expect([a.bytes, budget.total, budget.take(b, 3), budget.total]).toEqual([0, 7, 'ok', 10]);
  });
});
