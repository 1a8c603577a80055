/**
 * A token bucket: `ratePerSecond` tokens refill continuously up to `burst`; each message
 * takes one. Cheap enough to run on every frame of every socket.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: number;
  private readonly burst: number;

  constructor({ ratePerSecond, burst, now = Date.now() }: { ratePerSecond: number; burst: number; now?: number }) {
    this.rate = ratePerSecond / 1000;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; false when the bucket is empty (the caller refuses the message). */
  take(now = Date.now()): boolean {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.rate);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
