import { describe, expect, it } from 'vitest';
import { Liveness } from './liveness.ts';

function socket() {
  const log: string[] = [];
  return { log, target: { ping: () => log.push('ping'), terminate: () => log.push('terminate') } };
}

describe('liveness', () => {
  it('[SY54] pings a new socket at once, and a quiet one every period', () => {
    let now = 0;
    const live = new Liveness<string>({ pingEveryMs: 1000, deadAfterMs: 3000, now: () => now });
    const a = socket();
    live.track('a', a.target);
    expect(a.log).toEqual(['ping']);
    now = 500;
    live.sweep();
    expect(a.log).toEqual(['ping']);
    now = 1000;
    live.sweep();
    expect(a.log).toEqual(['ping', 'ping']);
    // A socket that keeps talking is never pinged.
    live.seen('a', { pong: true });
    now = 1900;
    live.seen('a');
    live.sweep();
    expect(a.log).toEqual(['ping', 'ping']);
  });

  it('[SY54] terminates a socket that answered pings and then went silent', () => {
    let now = 0;
    const live = new Liveness<string>({ pingEveryMs: 1000, deadAfterMs: 3000, now: () => now });
    const a = socket();
    live.track('a', a.target);
    now = 20;
    live.seen('a', { pong: true });
    for (now = 500; now <= 3000; now += 500) live.sweep();
    expect(a.log).not.toContain('terminate');
    now = 3100;
    expect(live.sweep()).toBe(1);
    expect(a.log.at(-1)).toBe('terminate');
    expect(live.size).toBe(0);
  });

  it('[SY54] leaves a socket that never answers a ping to the 60 s rule', () => {
    let now = 0;
    const live = new Liveness<string>({ pingEveryMs: 1000, deadAfterMs: 3000, now: () => now });
    const old = socket();
    live.track('old', old.target);
    for (now = 500; now <= 30_000; now += 500) live.sweep();
    expect(old.log).not.toContain('terminate');
    expect(live.size).toBe(1);
  });

  it('refuses a deadline that leaves no time for an answer', () => {
    expect(() => new Liveness({ pingEveryMs: 1000, deadAfterMs: 1000 })).toThrow(RangeError);
  });
});
