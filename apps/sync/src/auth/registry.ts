import type { Connection } from '@hocuspocus/server';
import type { AuthState, SyncContext } from '../context.ts';

export type LiveConnection = {
  connection: Connection<SyncContext>;
  auth: AuthState;
  socketId: string;
};

/**
 * Every authenticated document connection on this node, indexed the ways revocation
 * needs them: by credential (a session or API token) and by (user, project).
 */
export class ConnectionRegistry {
  private readonly all = new Set<LiveConnection>();
  private readonly bySocket = new Map<string, Set<LiveConnection>>();

  add(entry: LiveConnection): void {
    this.all.add(entry);
    let set = this.bySocket.get(entry.socketId);
    if (!set) {
      set = new Set();
      this.bySocket.set(entry.socketId, set);
    }
    set.add(entry);
  }

  remove(entry: LiveConnection): void {
    this.all.delete(entry);
    const set = this.bySocket.get(entry.socketId);
    set?.delete(entry);
    if (set?.size === 0) this.bySocket.delete(entry.socketId);
  }

  /** Document connections open on one WebSocket. */
  onSocket(socketId: string): number {
    return this.bySocket.get(socketId)?.size ?? 0;
  }

  /** Names of the documents open on one WebSocket. */
  documentsOnSocket(socketId: string): Set<string> {
    return new Set([...(this.bySocket.get(socketId) ?? [])].map((e) => e.connection.document.name));
  }

  get size(): number {
    return this.all.size;
  }

  entries(): LiveConnection[] {
    return [...this.all];
  }

  forMember(projectId: string, userId: string): LiveConnection[] {
    return this.entries().filter((e) => e.auth.projectId === projectId && e.auth.principal.user.id === userId);
  }

  forCredential(kind: 'session' | 'api', id: string): LiveConnection[] {
    return this.entries().filter((e) => {
      const via = e.auth.principal.via;
      return via.kind === kind && (via.kind === 'session' ? via.sessionId : via.tokenId) === id;
    });
  }
}
