import { AUTH_CHANNEL, credentialKey, documentAccess, parseAuthNotification, readAccessFacts, roleIn, type Role } from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';
import { CloseCode } from '../context.ts';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import type { ConnectionRegistry, LiveConnection } from './registry.ts';

/**
 * Revocation (SPEC.md SY5): migration 002 makes PostgreSQL NOTIFY `cutline_auth` when a
 * membership, session or API token changes; every node re-reads the rows behind the
 * affected connections and closes (or downgrades) them within the round trip. A sweep
 * every `sweepMs` re-checks everything, for expiries (which notify nobody) and for
 * notifications lost while the LISTEN connection was down (it also runs on reconnect).
 */
export class AccessWatcher {
  private readonly sql: Sql;
  private readonly log: Logger;
  private readonly metrics: SyncMetrics;
  private readonly registry: ConnectionRegistry;
  private readonly sweepMs: number;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private sweeping: Promise<void> | null = null;
  private stopped = false;
  /** Resolves after each handled notification (tests wait on the work, not on time). */
  onHandled: (kind: string) => void = () => {};

  constructor({ sql, log, metrics, registry, sweepMs = 30_000 }: { sql: Sql; log: Logger; metrics: SyncMetrics; registry: ConnectionRegistry; sweepMs?: number }) {
    this.sql = sql;
    this.log = log;
    this.metrics = metrics;
    this.registry = registry;
    this.sweepMs = sweepMs;
  }

  async start(): Promise<void> {
    const listening = await this.sql.listen(
      AUTH_CHANNEL,
      (payload) => void this.onNotification(payload),
      // Runs on the first LISTEN and after every reconnect of the listening connection.
      () => void this.sweep(),
    );
    this.unlisten = listening.unlisten;
    this.timer = setInterval(() => void this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.sweeping;
    await this.unlisten?.().catch(() => {});
  }

  private async onNotification(payload: string): Promise<void> {
    const parsed = parseAuthNotification(payload);
    if (!parsed) {
      this.log.warn({ payload }, 'ignoring a malformed auth notification');
      return;
    }
    try {
      if (parsed.kind === 'member') await this.recheck(this.registry.forMember(parsed.projectId, parsed.userId));
      else await this.recheck(this.registry.forCredential(parsed.kind === 'session' ? 'session' : 'api', parsed.id));
    } catch (error) {
      this.log.error({ err: error, kind: parsed.kind }, 'auth re-check failed; the sweep will retry');
    } finally {
      this.onHandled(parsed.kind);
    }
  }

  /** Re-checks every live connection. */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.sweeping ??= this.recheck(this.registry.entries())
      .catch((error: unknown) => this.log.error({ err: error }, 'auth sweep failed'))
      .finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }

  /** Reads credentials and roles for `entries` in two queries and applies the answer. */
  async recheck(entries: LiveConnection[]): Promise<void> {
    if (entries.length === 0) return;
    const facts = await readAccessFacts(this.sql, entries.map((e) => e.auth));
    for (const e of entries) {
      if (!facts.liveCredentials.has(credentialKey(e.auth.principal))) {
        this.revoke(e, e.auth.principal.via.kind === 'session' ? 'session' : 'api_token');
        continue;
      }
      const role = roleIn(facts, e.auth);
      const access = documentAccess(role, e.auth.kind);
      if (!role || !access) {
        this.revoke(e, 'member');
        continue;
      }
      if (access !== e.auth.access) this.change(e, role, access);
      else e.auth.role = role;
    }
  }

  private revoke(entry: LiveConnection, kind: string): void {
    this.metrics.revocations.inc({ kind });
    this.log.info({ userId: entry.auth.principal.user.id, projectId: entry.auth.projectId, kind }, 'access revoked; closing the document connection');
    const context = entry.connection.context;
    entry.connection.close({ code: CloseCode.Forbidden, reason: 'permission-revoked' });
    // A WebSocket with nothing left open on it has no reason to stay.
    if (this.registry.onSocket(entry.socketId) === 0) context.socket?.close(CloseCode.Forbidden, 'permission-revoked');
  }

  /**
   * A changed role takes effect at once (`readOnly` flips before anything else is
   * read), and the WebSocket is closed so the client reconnects and learns its new
   * scope from the authentication answer — a UI that still thinks it may edit would
   * pile up changes the server refuses.
   */
  private change(entry: LiveConnection, role: Role, access: 'read' | 'write'): void {
    this.metrics.revocations.inc({ kind: access === 'read' ? 'downgrade' : 'upgrade' });
    this.log.info({ userId: entry.auth.principal.user.id, projectId: entry.auth.projectId, role }, 'role changed; reconnecting the client');
    entry.auth.role = role;
    entry.auth.access = access;
    entry.connection.readOnly = access === 'read';
    entry.connection.context.socket?.close(CloseCode.Forbidden, 'permission-changed');
  }
}
