import { PRESENCE_STATUSES, type PresenceState, type PresenceStatus } from '@cutline/shared/presence';
import type { Awareness } from './project-session.svelte.ts';

/**
 * Presence over awareness (never the document), in the shape of the presence contract of
 * @cutline/shared/presence that apps/sync enforces (its SPEC SY50–SY54): `user` is
 * written by the server from the session; the view fields are ours, times in µs like the
 * model. Unknown fields are dropped by the server, so nothing else is sent.
 */
export type PresenceSelection = NonNullable<PresenceState['selection']>;
export type { PresenceStatus };
export type PresenceFields = Omit<PresenceState, 'user'>;

export type RemotePresence = {
  clientId: number;
  user: { id: string; name: string; color: string };
  /** Seconds. */
  playhead: number | null;
  selection: PresenceSelection;
  /** Seconds. */
  viewport: { start: number; end: number } | null;
  cursor: { time: number; trackId: string | null } | null;
  status: PresenceStatus;
  following: string | null;
};

const MAX_US = 86_400_000_000;
const us = (seconds: number) => Math.min(MAX_US, Math.max(0, Math.round(seconds * 1e6)));

/** Publishes the view fields that changed (each `setLocalStateField` is one awareness update). */
export function publishPresence(
  awareness: Awareness,
  {
    playhead,
    selection,
    viewport,
    cursor,
    status,
    following,
  }: { playhead?: number; selection?: PresenceSelection; viewport?: { start: number; end: number }; cursor?: { time: number; trackId?: string } | null; status?: PresenceStatus; following?: string | null },
): void {
  const current = (awareness.getLocalState() ?? {}) as PresenceFields;
  const next: PresenceFields = { ...current };
  if (playhead !== undefined) next.playhead = us(playhead);
  if (selection !== undefined) next.selection = selection;
  if (viewport !== undefined) {
    const start = us(viewport.start);
    next.viewport = { start, end: Math.max(start + 1, us(viewport.end)) };
  }
  if (status !== undefined) next.status = status;
  if (following !== undefined) next.following = following;
  if (cursor !== undefined) next.cursor = cursor === null ? null : { time: us(cursor.time), ...(cursor.trackId ? { trackId: cursor.trackId } : {}) };
  if (JSON.stringify(next) !== JSON.stringify(current)) awareness.setLocalState(next);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ids = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/** Other people's presence, read defensively (a state is whatever a peer sent). */
export function readPresence(states: ReadonlyMap<number, unknown>, selfClientId: number): RemotePresence[] {
  const out: RemotePresence[] = [];
  for (const [clientId, raw] of states) {
    if (clientId === selfClientId || !isRecord(raw) || !isRecord(raw.user)) continue;
    const { id, name, color } = raw.user;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof color !== 'string') continue;
    const sel = isRecord(raw.selection) ? raw.selection : {};
    const vp = isRecord(raw.viewport) && typeof raw.viewport.start === 'number' && typeof raw.viewport.end === 'number' ? { start: raw.viewport.start / 1e6, end: raw.viewport.end / 1e6 } : null;
    const cursor = isRecord(raw.cursor) && typeof raw.cursor.time === 'number' ? { time: raw.cursor.time / 1e6, trackId: typeof raw.cursor.trackId === 'string' ? raw.cursor.trackId : null } : null;
    const selection: PresenceSelection = {};
    for (const k of ['clipIds', 'trackIds', 'markerIds', 'transitionIds'] as const) {
      const list = ids(sel[k]);
      if (list) selection[k] = list;
    }
    const status: PresenceStatus = (PRESENCE_STATUSES as readonly unknown[]).includes(raw.status) ? (raw.status as PresenceStatus) : 'active';
    const following = typeof raw.following === 'string' ? raw.following : null;
    out.push({ clientId, user: { id, name, color }, playhead: typeof raw.playhead === 'number' ? raw.playhead / 1e6 : null, selection, viewport: vp, cursor, status, following });
  }
  return out;
}
