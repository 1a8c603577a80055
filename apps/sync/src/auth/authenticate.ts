import type { connectedPayload, Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { documentAccess, getRole, parseDocumentName, verifyToken } from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';
import { CloseCode, RefusedError, type AuthState, type SyncContext } from '../context.ts';
import type { SyncLimits } from '../limits/limits.ts';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import { presenceColor } from '@cutline/shared/presence';
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

  async onAuthenticate({ token, documentName, connectionConfig }: onAuthenticatePayload<SyncContext>): Promise<{ auth: AuthState }> {
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
        presence: { id: user.id, name: user.name, color: presenceColor(user.id) },
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
    connection.onClose(() => this.registry.remove(entry));
    // Safety net: the gate already counted this document while it was pending (SY23).
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
