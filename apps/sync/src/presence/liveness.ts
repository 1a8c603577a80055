/**
 * Dead-socket detection for presence (SPEC.md SY54). A tab that is killed, or whose
 * network drops, often closes nothing: the TCP connection just goes quiet. Hocuspocus'
 * own check closes a connection after `timeout` (60 s) without a message, and checks
 * only every `timeout`, so a vanished person would stay on everyone's timeline for up to
 * two minutes; y-protocols drops a silent remote state only after 30 s.
 *
 * So the server asks: a socket that has been quiet for `pingEveryMs` gets a Hocuspocus
 * Ping (one byte, 9), which @hocuspocus/provider v4 answers with a Pong from its message
 * handler — no timer, so it works in a hidden, throttled tab too. A socket that has
 * answered a Ping once and then stays silent for `deadAfterMs` is terminated (no close
 * handshake to wait for); closing its connections removes its awareness states, which
 * every other client receives at once. A socket that never answered a Ping (an older
 * provider, a hand-written client) keeps Hocuspocus' 60 s rule, as before.
 */
export type LivenessTarget = {
  /** Sends a Ping frame. */
  ping(): void;
  /** Drops the socket without a close handshake (the peer is not listening). */
  terminate(): void;
};

export const PING_FRAME = new Uint8Array([9]);

export const LIVENESS_DEFAULTS = { pingEveryMs: 1000, deadAfterMs: 3000 } as const;

type Entry = { target: LivenessTarget; lastSeen: number; answersPings: boolean; lastPing: number };

export class Liveness<Key> {
  private readonly entries = new Map<Key, Entry>();
  private readonly pingEveryMs: number;
  private readonly deadAfterMs: number;
  private readonly now: () => number;
  private readonly onDead: () => void;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor({
    pingEveryMs = LIVENESS_DEFAULTS.pingEveryMs,
    deadAfterMs = LIVENESS_DEFAULTS.deadAfterMs,
    now = Date.now,
    onDead = () => {},
  }: { pingEveryMs?: number; deadAfterMs?: number; now?: () => number; onDead?: () => void } = {}) {
    if (deadAfterMs <= pingEveryMs) throw new RangeError('deadAfterMs must leave time for a Ping to be answered');
    this.pingEveryMs = pingEveryMs;
    this.deadAfterMs = deadAfterMs;
    this.now = now;
    this.onDead = onDead;
  }

  /** Sweeps on a timer that does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    // Sweeping at half the ping period keeps the worst case close to deadAfterMs.
    this.timer = setInterval(() => this.sweep(), Math.max(50, Math.floor(this.pingEveryMs / 2)));
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A new socket, pinged at once: whether it answers decides which rule it lives by. */
  track(key: Key, target: LivenessTarget): void {
    const now = this.now();
    this.entries.set(key, { target, lastSeen: now, answersPings: false, lastPing: now });
    target.ping();
  }

  /** Any frame from the socket; `pong` when it was the answer to a Ping. */
  seen(key: Key, { pong = false }: { pong?: boolean } = {}): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.lastSeen = this.now();
    if (pong) entry.answersPings = true;
  }

  forget(key: Key): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** One pass: ping the quiet, terminate the dead. Returns how many were terminated. */
  sweep(): number {
    const now = this.now();
    let dead = 0;
    for (const [key, entry] of this.entries) {
      const quiet = now - entry.lastSeen;
      if (entry.answersPings && quiet > this.deadAfterMs) {
        this.entries.delete(key);
        dead += 1;
        this.onDead();
        entry.target.terminate();
        continue;
      }
      if (quiet >= this.pingEveryMs && now - entry.lastPing >= this.pingEveryMs) {
        entry.lastPing = now;
        entry.target.ping();
      }
    }
    return dead;
  }
}
