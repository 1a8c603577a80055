import { distinctPresenceColors } from '@cutline/shared/presence';
import type { PresenceSelection, PresenceStatus, RemotePresence } from '../session/presence.ts';

/**
 * Who is in the project, one entry per person: the same person in two tabs is one
 * avatar, one playhead. Pure, so the rules are tested without a browser.
 */
export type Person = {
  user: { id: string; name: string; color: string };
  /** This browser tab's user (drawn as "You", never as a remote playhead). */
  me: boolean;
  status: PresenceStatus;
  /** Seconds, from the client that represents this person (see `representative`). */
  playhead: number | null;
  selection: PresenceSelection;
  cursor: { time: number; trackId: string | null } | null;
  /** The user id whose playhead this person follows. */
  following: string | null;
  clientIds: number[];
};

const RANK: Record<PresenceStatus, number> = { active: 0, idle: 1, away: 2 };

/**
 * Of one person's clients (tabs), the one to show: the most present (active before idle
 * before away), then the most recently updated — the tab they are working in.
 */
export function representative(clients: RemotePresence[], lastUpdated: (clientId: number) => number): RemotePresence | undefined {
  let best: RemotePresence | undefined;
  for (const c of clients) {
    if (!best || RANK[c.status] < RANK[best.status] || (RANK[c.status] === RANK[best.status] && lastUpdated(c.clientId) > lastUpdated(best.clientId))) best = c;
  }
  return best;
}

/**
 * Everyone present, me first, then the others by name. My own other tabs fold into "me";
 * my status is this tab's.
 */
export function groupPeople({
  remote,
  me,
  lastUpdated,
}: {
  remote: RemotePresence[];
  me: { user: Person['user']; status: PresenceStatus; clientId: number };
  lastUpdated: (clientId: number) => number;
}): Person[] {
  const byUser = new Map<string, RemotePresence[]>();
  for (const r of remote) {
    const list = byUser.get(r.user.id);
    if (list) list.push(r);
    else byUser.set(r.user.id, [r]);
  }
  const mine = byUser.get(me.user.id) ?? [];
  byUser.delete(me.user.id);
  const self: Person = { user: me.user, me: true, status: me.status, playhead: null, selection: {}, cursor: null, following: null, clientIds: [me.clientId, ...mine.map((c) => c.clientId)] };
  const others: Person[] = [];
  for (const clients of byUser.values()) {
    const rep = representative(clients, lastUpdated);
    if (!rep) continue;
    others.push({ user: rep.user, me: false, status: rep.status, playhead: rep.playhead, selection: rep.selection, cursor: rep.cursor, following: rep.following, clientIds: clients.map((c) => c.clientId) });
  }
  others.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.user.id.localeCompare(b.user.id));
  // Two people never share a colour on screen (the server's colour is a hash of the id).
  const colors = distinctPresenceColors([self, ...others].map((p) => p.user.id));
  return [self, ...others].map((p) => ({ ...p, user: { ...p.user, color: colors.get(p.user.id) ?? p.user.color } }));
}

/** This tab's status: away while hidden, idle after `idleAfterMs` without input. */
export function localStatus({ hidden, lastInputAt, now, idleAfterMs }: { hidden: boolean; lastInputAt: number; now: number; idleAfterMs: number }): PresenceStatus {
  if (hidden) return 'away';
  return now - lastInputAt >= idleAfterMs ? 'idle' : 'active';
}

/** Initials for an avatar: "Ada Lovelace" → "AL", "bob" → "B". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => [...(p ?? '')][0]?.toUpperCase() ?? '').join('') || '?';
}

export const statusLabel: Record<PresenceStatus, string> = { active: 'Active', idle: 'Idle', away: 'Away' };
