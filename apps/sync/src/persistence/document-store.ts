import * as Y from 'yjs';
import type { afterHandleMessagePayload, beforeHandleMessagePayload, Connection, connectedPayload, Document, Extension, onLoadDocumentPayload } from '@hocuspocus/server';
import { isTransactionOrigin } from '@hocuspocus/server';
import { parseDocumentName } from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';
import { getSchemaVersion, initTimelineDoc, isTimelineOrigin, migrate, SCHEMA_VERSION } from '@cutline/timeline';
import { CloseCode, RefusedError, type SyncContext } from '../context.ts';
import type { SyncLimits } from '../limits/limits.ts';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import { parseClientFrame } from '../protocol/frame.ts';
import { recallCheck } from '../protocol/checked-frames.ts';
import { checkUpdate } from '../protocol/update-check.ts';
import { commentUpdateViolation } from '../comments/comment-guard.ts';
import { UpdateAppender } from './appender.ts';
import { neutralizeAnswered, StateAnswers, syncStatusFrame } from './state-answers.ts';
import { ReadBudget } from '../limits/read-budget.ts';
import { Compactor } from './compactor.ts';
import { applyStoredDocument, readDocument } from '@cutline/shared/document-log';
import type { UpdateOrigin } from './update-log.ts';

/** Per loaded document: what the log holds for it, and appends still committing. */
type DocState = {
  document: Document;
  /** Upper bound of the encoded size: stored bytes at load plus every byte appended since. */
  bytes: number;
  appendedSinceCompaction: number;
  /** Appends of this document not yet committed. */
  pending: Set<Promise<void>>;
  /**
   * The subset already applied in memory (server-side edits, Redis, migrations): a
   * client's own update is applied only once stored, so it never needs waiting for.
   */
  appliedPending: Set<Promise<void>>;
  /** While set, an append failed and the whole state is being written again (SY15). */
  healing: Promise<void> | null;
  /** An append failed after the current healing attempt took its copy of the state. */
  dirty: boolean;
  destroyed: boolean;
  detach: () => void;
};

export class PersistError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PersistError';
  }
}

/** Refused comments updates a connection may send before it is closed (SY6). */
const MAX_COMMENT_REFUSALS = 3;

/**
 * Durable documents (SPEC.md SY10–SY15), as a Hocuspocus extension.
 *
 * Every update a document takes — from a client, from Redis (another node), from a
 * server-side edit, from a schema migration — is appended to `doc_updates`. What a
 * client is told is durable:
 *
 * - A client's update is checked, then appended (group commit), and only once it has
 *   committed does Hocuspocus apply it, relay it and acknowledge it (SyncStatus): no
 *   peer, and no SyncStep2 answer, ever carries a client update the log lacks. The
 *   acknowledgement also waits (PeerSocket.holdAck) for whatever this node applied
 *   before it and has not stored yet — server-side edits and updates from Redis are
 *   applied first and stored right after. That is also why updates from Redis are
 *   stored again here: a node acknowledges nothing that depends on an update that lives
 *   only in another node's memory. (Duplicate rows are harmless; compaction merges them.)
 * - SyncStep1 is answered here, from a per-version cache of encoded states and against
 *   the connection's read budget (SY29), not by Hocuspocus.
 * - If an append fails, the document heals: its clients are disconnected without their
 *   pending acknowledgements (they reconnect and resync), and the whole state in memory
 *   is appended again — retried until it commits — before anything else of the document
 *   is acknowledged.
 * - Read-only connections' writes are counted and never stored; Hocuspocus refuses to
 *   apply or relay them.
 * - `onLoadDocument` reads snapshot + log; any failure refuses the connection, and since
 *   nothing is ever written from memory over the log, a failed load cannot replace data.
 */
export class DocumentStore implements Extension<SyncContext> {
  extensionName = 'cutline-document-store';
  private readonly sql: Sql;
  private readonly log: Logger;
  private readonly metrics: SyncMetrics;
  private readonly limits: SyncLimits;
  private readonly states = new Map<string, DocState>();
  /** Connections made read-only for the message being handled (a refused comments update). */
  private readonly refusedOnce = new WeakSet<Connection<SyncContext>>();
  /** Refused comments updates per connection (SY6). */
  private readonly commentRefusals = new WeakMap<Connection<SyncContext>, number>();
  /** What each document connection may still spend on SyncStep1 answers (SY29). */
  private readonly readBudgets = new WeakMap<Connection<SyncContext>, ReadBudget>();
  private readonly answers = new StateAnswers();
  readonly appender: UpdateAppender;
  readonly compactor: Compactor;
  private readonly compactEvery: number;
  /** SYNC_RELAY: whether a client's update waits for its commit before it is relayed (SY10). */
  private readonly relay: 'stored' | 'immediate';

  constructor({
    sql,
    log,
    metrics,
    limits,
    compactEvery = 500,
    relay = 'stored',
  }: {
    sql: Sql;
    log: Logger;
    metrics: SyncMetrics;
    limits: SyncLimits;
    compactEvery?: number;
    relay?: 'stored' | 'immediate';
  }) {
    this.relay = relay;
    this.sql = sql;
    this.log = log;
    this.metrics = metrics;
    this.limits = limits;
    this.compactEvery = compactEvery;
    this.appender = new UpdateAppender({ sql, onCommit: (_rows, seconds) => metrics.persistSeconds.observe(seconds) });
    this.compactor = new Compactor({ sql, log, metrics });
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload<SyncContext>): Promise<void> {
    const parsed = parseDocumentName(documentName);
    if (!parsed) throw new RefusedError(CloseCode.Forbidden, 'unknown-document');
    let stored;
    try {
      stored = await readDocument(this.sql, documentName);
    } catch (error) {
      this.metrics.loadFailures.inc();
      this.log.error({ documentName, err: error }, 'document load failed; refusing the connection');
      throw new RefusedError(CloseCode.Unavailable, 'document-unavailable', 'the document could not be loaded');
    }
    const { skipped } = applyStoredDocument(document, stored, {
      origin: 'cutline-load',
      onSkipped: (row, error) => this.log.warn({ documentName, updateId: row.id, err: error }, 'stored update could not be applied'),
    });
    if (skipped > 0) this.metrics.loadSkippedUpdates.inc(undefined, skipped);
    this.metrics.loads.inc();

    const state = this.attach(document, stored.bytes);
    state.appendedSinceCompaction = stored.updates.length;
    try {
      if (parsed.kind === 'timeline') await this.prepareTimeline(document, stored.snapshot === null && stored.updates.length === 0);
    } catch (error) {
      state.destroyed = true;
      state.detach();
      this.states.delete(documentName);
      this.metrics.loadFailures.inc();
      this.log.error({ documentName, err: error }, 'document preparation failed; refusing the connection');
      throw new RefusedError(CloseCode.Unavailable, 'document-unavailable', 'the document could not be prepared');
    }
    if (stored.updates.length >= this.compactEvery) this.compactor.schedule(documentName);
  }

  /**
   * A timeline that has never been written gets its schema version and default settings
   * from the server, once, stored before any client sees the document; an older schema
   * is migrated the same way (SY14). Both run with the timeline's migration origin.
   */
  private async prepareTimeline(document: Document, neverWritten: boolean): Promise<void> {
    const version = getSchemaVersion(document);
    if (neverWritten) initTimelineDoc(document);
    else if (version !== undefined && version < SCHEMA_VERSION) migrate(document);
    else return;
    // Strictly: a load whose preparation cannot be stored is refused, not healed.
    await Promise.all([...(this.states.get(document.name)?.pending ?? [])]);
  }

  private attach(document: Document, bytes: number): DocState {
    const name = document.name;
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      // Client updates were appended in beforeHandleMessage, before Hocuspocus applied them.
      if (isTransactionOrigin(origin) && origin.source === 'connection') return;
      void this.append(name, update, originOf(origin), { applied: true }).catch(() => {});
    };
    // Keyed by the Document object's lifetime, not by name: a document unloaded while a
    // new instance of the same name loads must not take the new one's state with it.
    const onDestroy = () => {
      state.destroyed = true;
      state.detach();
      if (this.states.get(name) === state) this.states.delete(name);
      if (state.appendedSinceCompaction > 0) this.compactor.schedule(name);
    };
    document.on('update', onUpdate);
    document.on('destroy', onDestroy);
    const state: DocState = {
      document,
      bytes,
      appendedSinceCompaction: 0,
      pending: new Set(),
      appliedPending: new Set(),
      healing: null,
      dirty: false,
      destroyed: false,
      detach: () => {
        document.off('update', onUpdate);
        document.off('destroy', onDestroy);
      },
    };
    this.states.set(name, state);
    return state;
  }

  /**
   * Appends one update of a loaded document and tracks it until it commits; `applied`
   * says the document in memory already holds it.
   */
  private append(documentName: string, update: Uint8Array, origin: UpdateOrigin, { applied }: { applied: boolean }): Promise<void> {
    const state = this.states.get(documentName);
    const write = this.appender.append({ documentName, update, origin });
    if (!state) return write;
    state.bytes += update.length;
    state.pending.add(write);
    if (applied) state.appliedPending.add(write);
    write.then(
      () => {
        state.pending.delete(write);
        state.appliedPending.delete(write);
        this.accepted(documentName, state);
      },
      (error: unknown) => {
        state.pending.delete(write);
        state.appliedPending.delete(write);
        this.failed(state, error);
      },
    );
    return write;
  }

  /**
   * Resolves once everything the document holds in memory is stored: the appends of
   * updates already applied, and the healing copy if one is being written. What a
   * client's acknowledgement waits for (SY10).
   */
  private appliedDurable(state: DocState): Promise<void> {
    if (state.appliedPending.size === 0 && !state.healing) return Promise.resolve();
    return Promise.allSettled([...state.appliedPending]).then(() => state.healing ?? undefined);
  }

  /**
   * Resolves once every append of the document started so far has committed — or, if
   * one of them failed, once the healing copy of the whole state has. Rejects only if the
   * document went away before that.
   */
  durable(documentName: string): Promise<void> {
    const state = this.states.get(documentName);
    if (!state) return Promise.resolve();
    return Promise.allSettled([...state.pending]).then(() => state.healing ?? undefined);
  }

  /** Server-side edits wait on this before they answer. */
  flush(documentName: string): Promise<void> {
    return this.durable(documentName);
  }

  async beforeHandleMessage({ connection, update: frame, document, documentName }: beforeHandleMessagePayload<SyncContext>): Promise<void> {
    // The gate has already parsed and checked this frame (gate.ts); here only the sync
    // messages that carry document content matter.
    const known = recallCheck(frame);
    const message = known?.frame ?? parseClientFrame(frame, { maxTokenLength: this.limits.maxTokenLength });
    if (message.kind !== 'sync') return;
    if (message.step === 'step1') return this.answerStep1(connection, frame, document, message.stateVector);
    const { update } = message;
    const socket = connection.context.socket;
    const address = connection.messageAddress;
    if (connection.readOnly) {
      // An update: Hocuspocus answers SyncStatus(false) and applies nothing; only count it (SY3).
      if (message.step === 'update') return this.metrics.rejected('read_only');
      // A SyncStep2: Hocuspocus would build the document's snapshot (every struct) for
      // each one, so a viewer repeating it costs what a SyncStep1 does. Answered here
      // from the per-version snapshot instead, exactly as Hocuspocus would (SY4, SY29).
      const contained = Y.snapshotContainsUpdate(this.answers.snapshot(document), update);
      if (!contained) this.metrics.rejected('read_only');
      connection.send(syncStatusFrame(address, contained));
      neutralizeAnswered(frame);
      return;
    }
    // Checked here too when the gate did not (nothing unchecked is ever stored). An update
    // that changes nothing (yjs#687's v2 reproducer read as v1 is one) is not stored, nor
    // is a reconnecting client's SyncStep2 that holds nothing new.
    const checked = known?.update ?? checkUpdate(update);
    const nothingNew = checked.empty || (message.step === 'step2' && Y.snapshotContainsUpdate(this.answers.snapshot(document), update));
    const state = this.states.get(documentName);
    if (nothingNew) {
      if (state) socket?.holdAck(address, this.appliedDurable(state));
      return;
    }
    if (state) this.checkSize(state, update.length);
    const auth = connection.context.auth;
    // Checked, not too large, and new: who may write what in the comments (SY6).
    if (auth?.kind === 'comments') {
      const violation = commentUpdateViolation(document, update, { userId: auth.principal.user.id, canModerate: auth.role === 'owner' });
      if (violation !== null) {
        this.metrics.rejected('not_author');
        this.log.info({ documentName, userId: auth.principal.user.id, violation }, 'a comments update was refused');
        // The editor's own controls never send such an update; a client that keeps at it
        // is closed, which also bounds the cost of rebuilding the guard's copy (SY6).
        const refusals = (this.commentRefusals.get(connection) ?? 0) + 1;
        this.commentRefusals.set(connection, refusals);
        if (refusals > MAX_COMMENT_REFUSALS) throw new RefusedError(CloseCode.PolicyViolation, 'comment-refused');
        // Refused like a read-only write (SY6, SY3): Hocuspocus answers SyncStatus(false)
        // for this one message and applies nothing; afterHandleMessage restores the flag.
        connection.readOnly = true;
        this.refusedOnce.add(connection);
        return;
      }
    }
    const origin: UpdateOrigin = auth ? { source: 'user', userId: auth.principal.user.id } : { source: 'migration' };
    if (this.relay === 'immediate' && socket) {
      // SYNC_RELAY=immediate: Hocuspocus applies and relays it as soon as this hook
      // returns; only the acknowledgement waits for the log (SY10).
      const write = this.append(documentName, update, origin, { applied: true });
      write.catch(() => {});
      socket.holdAck(address, this.durable(documentName));
      return;
    }
    // Stored first, applied and relayed after (SY10): Hocuspocus applies the update,
    // broadcasts it and answers SyncStatus once this hook returns, so no peer ever sees
    // an update the log does not hold, and the SyncStep2 answers carry none either.
    // Rows of other connections arriving meanwhile share the commit (group commit).
    try {
      await this.append(documentName, update, origin, { applied: false });
    } catch {
      throw new RefusedError(CloseCode.Unavailable, 'storage-unavailable');
    }
    // Its acknowledgement also waits for what this node applied before it and has not
    // stored yet (a server-side edit, an update from another node): it may depend on it.
    if (socket && state && (state.appliedPending.size > 0 || state.healing)) socket.holdAck(address, this.appliedDurable(state));
  }

  /**
   * Answers a SyncStep1 from the cache of encoded states, charged to the connection's
   * read budget (SY29); a connection over budget is shed: its WebSocket is closed with
   * 4431 `read-limited` and the frames it queued are dropped.
   */
  private answerStep1(connection: Connection<SyncContext>, frame: Uint8Array, document: Document, stateVector: Uint8Array): void {
    // Server-side edits (DirectConnection) never send a SyncStep1.
    const socket = connection.context.socket;
    if (!socket) return;
    let budget = this.readBudgets.get(connection);
    if (!budget) {
      budget = new ReadBudget();
      this.readBudgets.set(connection, budget);
    }
    if (!budget.admits()) {
      this.metrics.rejected('read_limited');
      this.log.info({ documentName: document.name, socket: socket.id }, 'shedding a connection over its read budget');
      socket.close(CloseCode.ReadLimited, 'read-limited');
      throw new RefusedError(CloseCode.ReadLimited, 'read-limited');
    }
    const answer = this.answers.answer({ document, address: connection.messageAddress, stateVector });
    budget.charge(answer);
    this.metrics.stateAnswers.inc({ cached: answer.cached ? 'true' : 'false' });
    for (const f of answer.frames) connection.send(f);
    neutralizeAnswered(frame);
  }

  /** A connection made read-only for one refused comments update gets its access back. */
  async afterHandleMessage({ connection }: afterHandleMessagePayload<SyncContext>): Promise<void> {
    if (!this.refusedOnce.delete(connection)) return;
    connection.readOnly = connection.context.auth?.access !== 'write';
  }

  /** Acknowledgements held for a document connection that is gone are dropped with it. */
  async connected({ connection }: connectedPayload<SyncContext>): Promise<void> {
    const socket = connection.context.socket;
    const address = connection.messageAddress;
    if (socket) connection.onClose(() => socket.dropAcks(address));
  }

  private accepted(documentName: string, state: DocState): void {
    this.metrics.updates.inc();
    this.metrics.updateRate.mark();
    state.appendedSinceCompaction += 1;
    if (state.appendedSinceCompaction >= this.compactEvery) {
      state.appendedSinceCompaction = 0;
      this.compactor.schedule(documentName);
    }
  }

  /**
   * An append failed: the document in memory now holds something the log does not.
   * Its clients are disconnected — the acknowledgements they wait for are never sent;
   * they reconnect and resync — and the whole state is appended again, retried with
   * backoff until it commits (SY15). Until then nothing of the document is acknowledged.
   */
  private failed(state: DocState, error: unknown): void {
    state.dirty = true;
    if (state.healing) return;
    const documentName = state.document.name;
    this.log.error({ documentName, err: error }, 'an update could not be stored; rewriting the document state');
    for (const connection of state.document.getConnections()) {
      const socket = (connection.context as SyncContext).socket;
      if (socket) socket.close(CloseCode.Unavailable, 'storage-unavailable');
      else connection.close({ code: CloseCode.Unavailable, reason: 'storage-unavailable' });
    }
    const healing = this.heal(state).finally(() => {
      if (state.healing === healing) state.healing = null;
    });
    healing.catch(() => {});
    state.healing = healing;
  }

  private async heal(state: DocState): Promise<void> {
    let delay = 250;
    while (state.dirty) {
      if (state.destroyed) throw new PersistError('the document was unloaded before its state could be stored');
      state.dirty = false;
      const snapshot = Y.encodeStateAsUpdate(state.document);
      try {
        await this.appender.append({ documentName: state.document.name, update: snapshot, origin: { source: 'recovery' } });
        this.metrics.recoveries.inc();
        this.log.info({ documentName: state.document.name }, 'document state stored again after a failed append');
      } catch (error) {
        state.dirty = true;
        this.log.warn({ documentName: state.document.name, err: error, retryInMs: delay }, 'storing the document state failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  /** Refuses an update that would take the document past the size limit (SY25). */
  private checkSize(state: DocState, incoming: number): void {
    const max = this.limits.maxDocumentBytes;
    if (state.bytes + incoming <= max) return;
    // The running total over-counts (overwritten and deleted content); measure for real.
    state.bytes = Y.encodeStateAsUpdate(state.document).length;
    if (state.bytes + incoming <= max) return;
    this.metrics.rejected('document_too_large');
    throw new RefusedError(CloseCode.DocumentTooLarge, 'document-too-large', `the document would exceed ${max} bytes`);
  }

  /** Graceful shutdown: every queued append committed, compaction stopped. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.states.values()].flatMap((s) => [...s.pending]));
    await this.appender.idle();
    await this.compactor.stop();
  }
}

function originOf(origin: unknown): UpdateOrigin {
  if (isTimelineOrigin(origin)) return origin.source === 'migration' ? { source: 'migration' } : { source: origin.source, userId: origin.userId };
  if (isTransactionOrigin(origin)) {
    if (origin.source === 'local') {
      const context = origin.context as SyncContext | undefined;
      if (context?.origin) return context.origin;
    }
    if (origin.source === 'redis') return { source: 'relay' };
  }
  return { source: 'migration' };
}
