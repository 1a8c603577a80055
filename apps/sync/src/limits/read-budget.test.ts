import { describe, expect, it } from 'vitest';
import { ReadBudget } from './read-budget.ts';

describe('ReadBudget', () => {
  it('[SY29] gives the first answer whatever it costs, then sheds until the debt is paid back', () => {
    const budget = new ReadBudget({ bytesPerSecond: 1000, burstBytes: 2000, now: 0 });
    expect(budget.admits(0)).toBe(true);
    budget.charge({ bytes: 5000, encodeMs: 0 });
    expect(budget.admits(1)).toBe(false);
    // 3,000 bytes of debt at 1,000 bytes/s: positive again after three seconds.
    expect(budget.admits(2_999)).toBe(false);
    expect(budget.admits(3_002)).toBe(true);
  });

  it('[SY29] counts encoding time as cost, not only bytes', () => {
    const budget = new ReadBudget({ bytesPerSecond: 1000, burstBytes: 100, now: 0 });
    // 1 ms of encoding = rate/100 bytes = 10 bytes here.
    budget.charge({ bytes: 0, encodeMs: 9 });
    expect(budget.admits(0)).toBe(true);
    budget.charge({ bytes: 0, encodeMs: 1 });
    expect(budget.admits(0)).toBe(false);
  });

  it('[SY29] refills no higher than the burst', () => {
    const budget = new ReadBudget({ bytesPerSecond: 1000, burstBytes: 100, now: 0 });
    expect(budget.admits(60_000)).toBe(true);
    budget.charge({ bytes: 100, encodeMs: 0 });
    expect(budget.admits(60_000)).toBe(false);
  });
});
