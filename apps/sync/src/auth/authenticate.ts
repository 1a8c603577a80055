import type { connectedPayload, Extension, onAuthenticatePayload, onConnectPayload } from '@hocuspocus/server';
import { documentAccess, getRole, parseDocumentName, verifyToken } from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';
import { CloseCode, RefusedError, type AuthState, type SocketHandle, type SyncContext } from '../context.ts';
import type { SyncLimits } from '../limits/limits.ts';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import { colorFor } from '../presence/awareness-policy.ts';
import type { ConnectionRegistry, LiveConnection } from './registry.ts';

/**
 * Who may open which document (SPEC.md SY1–SY4), through the one permission policy in
 * @cutline/shared/auth: a session token or an API token, then the user's role in the
 * project decides write, read (Hocuspocus `readOnly`) or nothing.
 */
export class Authenticator implements Extension<SyncContext> {
  extensionName = 'cutline-auth';
  // Runs before the other extensions' hooks (Hocuspocus sorts by priority, high first).
  priority = 2000;
  private readonly sql: Sql;
  private readonly log: Logger;
  private readonly metrics: SyncMetrics;
  private readonly limits: SyncLimits;
  private readonly registry: ConnectionRegistry;
  /** SYNC_SECRET: also verifies the short-lived tickets the web app mints for browsers. */
  private readonly ticketSecret: string | undefined;

  constructor({
    sql,
    log,
    metrics,
    limits,
    registry,
    ticketSecret,
  }: {
    sql: Sql;
    log: Logger;
    metrics: SyncMetrics;
    limits: SyncLimits;
    registry: ConnectionRegistry;
    ticketSecret?: string | undefined;
  }) {
    this.ticketSecret = ticketSecret;
    this.sql = sql;
    this.log = log;
    this.metrics = metrics;
    this.limits = limits;
    this.registry = registry;
  }

  /**
   * Documents a WebSocket has asked for and not yet opened (authenticating or loading),
   * with the time of the request. Keyed by the socket object, so it goes with the socket.
   */
  private readonly pending = new WeakMap<SocketHandle, Map<string, number>>();

  /**
   * A WebSocket may hold a bounded number of documents, counting those still being
   * authenticated or loaded (SY23), so the answer comes before "authenticated".
   */
  async onConnect({ socketId, documentName, context }: onConnectPayload<SyncContext>): Promise<void> {
    const socket = context.socket;
    if (!socket) return;
    const open = this.registry.documentsOnSocket(socketId);
    let pending = this.pending.get(socket);
    if (!pending) {
      pending = new Map();
      this.pending.set(socket, pending);
    }
    const now = Date.now();
    // A request that never became a connection (its load failed) stops counting after a minute.
    for (const [name, since] of pending) if (open.has(name) || now - since > 60_000) pending.delete(name);
    if (open.has(documentName) || pending.has(documentName)) return;
    if (open.size + pending.size >= this.limits.maxDocumentsPerConnection) {
      this.metrics.refusedConnections.inc({ reason: 'too_many_documents' });
      throw new RefusedError(CloseCode.TooManyDocuments, 'too-many-documents');
    }
    pending.set(documentName, now);
  }

  private settled(socket: SocketHandle | undefined, documentName: string): void {
    if (socket) this.pending.get(socket)?.delete(documentName);
  }

  async onAuthenticate(payload: onAuthenticatePayload<SyncContext>): Promise<{ auth: AuthState }> {
    try {
      return await this.authenticate(payload);
    } catch (error) {
      this.settled(payload.context.socket, payload.documentName);
      throw error;
    }
  }

  private async authenticate({ token, documentName, connectionConfig }: onAuthenticatePayload<SyncContext>): Promise<{ auth: AuthState }> {
    const parsed = parseDocumentName(documentName);
    if (!parsed) return this.refuse('unknown_document', CloseCode.Forbidden, 'unknown-document');
    const principal = await verifyToken({ sql: this.sql, token, ...(this.ticketSecret ? { ticketSecret: this.ticketSecret } : {}) });
    if (!principal) return this.refuse('bad_token', CloseCode.Unauthorized, 'unauthorized');
    const role = await getRole({ sql: this.sql, projectId: parsed.projectId, userId: principal.user.id });
    const access = documentAccess(role, parsed.kind);
    // Outsiders and members without access get the same answer: whether the project
    // exists is not theirs to learn.
    if (!role || !access) return this.refuse('no_access', CloseCode.Forbidden, 'forbidden');
    connectionConfig.readOnly = access === 'read';
    const user = principal.user;
    return {
      auth: {
        principal,
        projectId: parsed.projectId,
        kind: parsed.kind,
        role,
        access,
        presence: { id: user.id, name: user.name, color: colorFor(user.id) },
      },
    };
  }

  async connected({ connection, context, socketId }: connectedPayload<SyncContext>): Promise<void> {
    const auth = context.auth;
    if (!auth) {
      connection.close({ code: CloseCode.Unauthorized, reason: 'unauthorized' });
      return;
    }
    const entry: LiveConnection = { connection, auth, socketId };
    this.registry.add(entry);
    this.settled(context.socket, connection.document.name);
    connection.onClose(() => this.registry.remove(entry));
    // Safety net: onConnect already counted this document while it was pending.
    if (this.registry.onSocket(socketId) > this.limits.maxDocumentsPerConnection) {
      this.metrics.refusedConnections.inc({ reason: 'too_many_documents' });
      connection.close({ code: CloseCode.TooManyDocuments, reason: 'too-many-documents' });
    }
  }

  private refuse(reason: string, code: number, clientReason: string): never {
    this.metrics.authFailures.inc({ reason });
    this.log.debug({ reason }, 'document connection refused');
    throw new RefusedError(code, clientReason);
  }
}
