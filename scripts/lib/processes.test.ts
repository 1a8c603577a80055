import { describe, expect, it } from 'vitest';
import { defaultBackoff, restartDelay } from './processes.ts';

describe('restartDelay', () => {
  it('waits 0.5 s after the first crash, doubling per crash in a row up to 30 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((crashes) => restartDelay({ crashes, backoff: defaultBackoff }));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});
