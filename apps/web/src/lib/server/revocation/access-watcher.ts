import { AUTH_CHANNEL, can, credentialKey, parseAuthNotification, readAccessFacts, roleIn, type AccessFacts, type Action, type AuthNotification, type Principal } from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';
import { CutlineError } from '@cutline/shared/errors';
import type { Logger } from '@cutline/shared/log';


/** Why a watched grant ended: its credential is gone, or the role no longer allows the action. */
export type AccessLoss = 'session' | 'api_token' | 'member';

export class AccessRevokedError extends CutlineError {
  readonly loss: AccessLoss;
  constructor(loss: AccessLoss) {
    const why = { session: 'the session ended', api_token: 'the API token was revoked or expired', member: 'the project access was removed' }[loss];
    super('access_revoked', `Access revoked: ${why}`, 403);
    this.loss = loss;
  }
}

/** What a long-lived channel was granted: this principal may do `action` in `projectId`. */
export type Grant = { principal: Principal; projectId: string; action: Action };

/**
 * The pure decision: does `grant` still hold, given which credentials are live
 * (`session:<id>` / `api:<id>`) and the members' roles (`<projectId>:<userId>`)?
 */
export function lostAccess({ grant, ...facts }: { grant: Grant } & AccessFacts): AccessLoss | null {
  if (!facts.liveCredentials.has(credentialKey(grant.principal))) return grant.principal.via.kind === 'session' ? 'session' : 'api_token';
  return can(roleIn(facts, grant), grant.action) ? null : 'member';
}

function affects(grant: Grant, event: AuthNotification): boolean {
  const via = grant.principal.via;
  switch (event.kind) {
    case 'member':
      return grant.projectId === event.projectId && grant.principal.user.id === event.userId;
    case 'session':
      return via.kind === 'session' && via.sessionId === event.id;
    case 'api_token':
      return via.kind === 'api' && via.tokenId === event.id;
  }
}

/** A live grant. `signal` aborts with an AccessRevokedError once access is lost. */
export type AccessWatch = {
  readonly signal: AbortSignal;
  /**
   * Runs `deliver` now, or — while a notification about this grant is being checked —
   * once the check confirms access; never after a loss. Data published right after a
   * revocation (an event about the project the member was just removed from) thus never
   * reaches them, although NOTIFY hands it over before the re-check has answered.
   */
  deliver(deliver: () => void): void;
  /** Stops watching (the channel closed on its own). */
  stop(): void;
};

type Entry = { grant: Grant; controller: AbortController; checking: number; held: (() => void)[] };

/**
 * Ends long-lived channels (SSE streams, and next MCP sessions) when the access that
 * opened them is revoked: the same design as apps/sync/src/auth/access-watcher.ts. One
 * LISTEN on `cutline_auth` per process; a notification re-reads the rows behind the
 * affected grants and aborts those that lost access, within a round trip. A sweep every
 * `sweepMs` re-checks everything, for expiries (which notify nobody) and notifications
 * lost while the LISTEN connection was down (it also runs after each reconnect).
 */
export class AccessWatcher {
  private readonly sql: Sql;
  private readonly log: Logger;
  private readonly sweepMs: number;
  private readonly entries = new Set<Entry>();
  private started: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private sweeping: Promise<void> | null = null;

  constructor({ sql, log, sweepMs = 30_000 }: { sql: Sql; log: Logger; sweepMs?: number }) {
    this.sql = sql;
    this.log = log;
    this.sweepMs = sweepMs;
  }

  /**
   * Watches `grant` until `stop()`. Resolves once the LISTEN is in place and the grant was
   * checked once more: a revocation between the route's own check and now is not missed
   * (the watch is then already aborted).
   */
  async watch(grant: Grant): Promise<AccessWatch> {
    await this.start();
    const entry: Entry = { grant, controller: new AbortController(), checking: 1, held: [] };
    this.entries.add(entry);
    const stop = () => {
      this.entries.delete(entry);
      entry.held = [];
    };
    try {
      await this.recheck([entry]);
    } catch (error) {
      stop();
      throw error;
    } finally {
      this.settle(entry);
    }
    return {
      signal: entry.controller.signal,
      deliver: (deliver) => {
        if (entry.controller.signal.aborted) return;
        if (entry.checking > 0) entry.held.push(deliver);
        else deliver();
      },
      stop,
    };
  }

  get size(): number {
    return this.entries.size;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
    await this.unlisten?.().catch(() => {});
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      const listening = await this.sql.listen(
        AUTH_CHANNEL,
        (payload) => this.onNotification(payload),
        // Runs after every reconnect of the listening connection (and the first LISTEN).
        () => void this.sweep(),
      );
      this.unlisten = listening.unlisten;
      this.timer = setInterval(() => void this.sweep(), this.sweepMs);
      this.timer.unref();
    })().catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  /** Synchronous up to the query: grants it names are held from this moment on. */
  private onNotification(payload: string): void {
    const parsed = parseAuthNotification(payload);
    if (!parsed) {
      this.log.warn({ payload }, 'ignoring a malformed auth notification');
      return;
    }
    const affected = [...this.entries].filter((e) => affects(e.grant, parsed));
    if (affected.length === 0) return;
    for (const e of affected) e.checking++;
    this.recheck(affected)
      .catch((error: unknown) => {
        // Failing closed: a grant we cannot confirm right after its row changed is ended.
        this.log.error({ err: error, kind: parsed.kind }, 'access re-check failed; closing the affected channels');
        for (const e of affected) this.revoke(e, parsed.kind === 'member' ? 'member' : parsed.kind);
      })
      .finally(() => {
        for (const e of affected) this.settle(e);
      });
  }

  /** Re-checks every watched grant (the backstop for expiries and lost notifications). */
  sweep(): Promise<void> {
    this.sweeping ??= this.recheck([...this.entries])
      .catch((error: unknown) => this.log.error({ err: error }, 'access sweep failed; the next one retries'))
      .finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }

  /** Reads the credentials and roles behind `entries` in two queries and ends the lost ones. */
  private async recheck(entries: Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const facts = await readAccessFacts(this.sql, entries.map((e) => e.grant));
    for (const entry of entries) {
      const loss = lostAccess({ grant: entry.grant, ...facts });
      if (loss) this.revoke(entry, loss);
    }
  }

  private revoke(entry: Entry, loss: AccessLoss): void {
    if (entry.controller.signal.aborted) return;
    this.log.info({ userId: entry.grant.principal.user.id, projectId: entry.grant.projectId, loss }, 'access revoked; closing the channel');
    entry.held = [];
    this.entries.delete(entry);
    entry.controller.abort(new AccessRevokedError(loss));
  }

  private settle(entry: Entry): void {
    entry.checking--;
    if (entry.checking > 0 || entry.controller.signal.aborted) return;
    const held = entry.held;
    entry.held = [];
    for (const deliver of held) deliver();
  }
}
