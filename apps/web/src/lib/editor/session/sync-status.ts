/**
 * The "Saved / Saving / Offline" indicator, from facts only (never a timer that guesses):
 * - the socket's status and the browser's `navigator.onLine`;
 * - each document provider's `unsyncedChanges` — Hocuspocus counts an update as unsynced
 *   until the server's SyncStatus answer, which apps/sync sends only after the update is
 *   in the Postgres log (apps/sync/SPEC.md SY10);
 * - whether each provider has finished its first sync since (re)connecting;
 * - an authentication refusal (no access, access revoked).
 */

export type SocketStatus = 'connecting' | 'connected' | 'disconnected';

export type DocSyncFacts = { synced: boolean; unsynced: number; authenticated: boolean; denied: string | null };

export type SyncFacts = { online: boolean; socket: SocketStatus; everConnected: boolean; docs: readonly DocSyncFacts[] };

export type SyncState = 'connecting' | 'saved' | 'saving' | 'offline' | 'denied';

export type SyncIndicator = { state: SyncState; label: string; detail: string; pending: number };

export function syncIndicator(facts: SyncFacts): SyncIndicator {
  const pending = facts.docs.reduce((n, d) => n + Math.max(0, d.unsynced), 0);
  const denied = facts.docs.find((d) => d.denied !== null)?.denied ?? null;
  if (denied !== null) return { state: 'denied', label: 'Not syncing', detail: deniedMessage(denied), pending };
  const connected = facts.online && facts.socket === 'connected';
  if (!connected) {
    // Before the first connection, "connecting" only while an attempt is under way: a
    // failed attempt means the sync server cannot be reached, which is offline to us.
    if (!facts.everConnected && facts.online && facts.socket === 'connecting') return { state: 'connecting', label: 'Connecting…', detail: 'Opening the project', pending };
    const waiting = pending > 0 ? 'Your edits are kept here and sync when you are back online.' : 'Edits you make now sync when you are back online.';
    return { state: 'offline', label: 'Offline', detail: waiting, pending };
  }
  const settled = facts.docs.every((d) => d.synced && d.authenticated);
  if (!settled && !facts.everConnected) return { state: 'connecting', label: 'Connecting…', detail: 'Opening the project', pending };
  if (pending > 0 || !settled) return { state: 'saving', label: 'Saving…', detail: 'Sending your edits to the server', pending };
  return { state: 'saved', label: 'Saved', detail: 'Every edit is stored on the server', pending };
}

function deniedMessage(reason: string): string {
  switch (reason) {
    case 'permission-revoked':
      return 'Your access to this project was removed.';
    case 'permission-changed':
      return 'Your role in this project changed; reload to continue.';
    case 'unauthorized':
      return 'Your session has ended; log in again.';
    default:
      return 'You do not have access to this project.';
  }
}
