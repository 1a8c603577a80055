import type { Activity } from './activity.ts';

export type Toast = Activity & { id: number };

/** How long a toast stays: failures longer, since their reason is worth reading. */
export const TOAST_MS = { ok: 6000, error: 10_000 } as const;

/**
 * The stack of activity toasts. Each leaves by itself after a few seconds, or when
 * dismissed; a toast the pointer or focus is on stays until it leaves. One outcome
 * (the same key) is shown once per page, however often its event arrives.
 */
export class Toasts {
  items: Toast[] = $state.raw([]);
  // Bookkeeping no template reads: plain collections, not reactive ones.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private seen = new Set<string>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private timers = new Map<number, ReturnType<typeof setTimeout>>();
  private counter = 0;
  private readonly max: number;

  constructor({ max = 5 }: { max?: number } = {}) {
    this.max = max;
  }

  push(activity: Activity): void {
    if (this.seen.has(activity.key)) return;
    this.seen.add(activity.key);
    const toast: Toast = { ...activity, id: ++this.counter };
    const kept = [...this.items, toast];
    for (const old of kept.slice(0, Math.max(0, kept.length - this.max))) this.clearTimer(old.id);
    this.items = kept.slice(-this.max);
    this.schedule(toast);
  }

  dismiss(id: number): void {
    this.clearTimer(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  /** The person is reading it: no timer until `release`. */
  hold(id: number): void {
    this.clearTimer(id);
  }

  release(id: number): void {
    const toast = this.items.find((t) => t.id === id);
    if (toast && !this.timers.has(id)) this.schedule(toast);
  }

  destroy(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(toast: Toast): void {
    this.timers.set(
      toast.id,
      setTimeout(() => this.dismiss(toast.id), TOAST_MS[toast.tone]),
    );
  }

  private clearTimer(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }
}
