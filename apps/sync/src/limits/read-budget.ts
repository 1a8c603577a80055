/**
 * What answering a SyncStep1 may cost one document connection (SPEC.md SY29). A reader
 * is charged what its answers cost — bytes sent, and CPU time spent encoding (1 ms of
 * encoding counts as `rate / 100` bytes, so encoding alone is held to ~10 ms per second)
 * — never a message count: one SyncStep1 with an empty state vector on a 4,000-clip
 * timeline costs what thousands of small updates do.
 *
 * The bucket may go into debt: an answer is given whenever the balance is positive, so
 * a client's first sync of even the largest document always goes through, and the next
 * one waits until the debt is paid back. A SyncStep1 that finds the balance at or below
 * zero is shed (the WebSocket is closed with 4431 `read-limited`).
 */
export const READ_BYTES_PER_SECOND = 1024 * 1024;
/**
 * What a fresh connection has in hand: any first answer goes through (debt), and a
 * resync of a small document soon after; a second full answer of a large one waits.
 */
export const READ_BURST_BYTES = 256 * 1024;

export class ReadBudget {
  private balance: number;
  private last: number;
  private readonly rate: number;
  private readonly burst: number;

  constructor({ bytesPerSecond = READ_BYTES_PER_SECOND, burstBytes = READ_BURST_BYTES, now = performance.now() }: { bytesPerSecond?: number; burstBytes?: number; now?: number } = {}) {
    this.rate = bytesPerSecond / 1000;
    this.burst = burstBytes;
    this.balance = burstBytes;
    this.last = now;
  }

  /** May one more answer be given now? */
  admits(now = performance.now()): boolean {
    if (now > this.last) {
      this.balance = Math.min(this.burst, this.balance + (now - this.last) * this.rate);
      this.last = now;
    }
    return this.balance > 0;
  }

  /** Charges an answer: the bytes it sent and the milliseconds spent encoding it. */
  charge({ bytes, encodeMs }: { bytes: number; encodeMs: number }): void {
    this.balance -= bytes + encodeMs * this.rate * 10;
  }
}
