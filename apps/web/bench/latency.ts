/** The latency figures both collab phases report, from per-delivery times in ms. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export const round = (n: number) => Math.round(n * 10) / 10;

/** p50/p95 of edit→remote and presence latencies, and how many of each were measured. */
export function latencyFigures({ edit, presence }: { edit: number[]; presence: number[] }) {
  return {
    p95EditToRemoteMs: round(percentile(edit, 95)),
    p50EditToRemoteMs: round(percentile(edit, 50)),
    p95PresenceMs: round(percentile(presence, 95)),
    p50PresenceMs: round(percentile(presence, 50)),
    edits: edit.length,
    presenceUpdates: presence.length,
  };
}
