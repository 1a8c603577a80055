import type { Hocuspocus } from '@hocuspocus/server';
import { z } from 'zod';
import { documentAccess, getRole, parseDocumentName } from '@cutline/shared/auth';
import type { Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';
import { applyCommands, LIMITS, originFor, SERVER_EDIT_SOURCES, TimelineError, type CommandResult, type TimelineErrorCode } from '@cutline/timeline';
import { RefusedError, type SyncContext } from '../context.ts';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import { PersistError, type DocumentStore } from '../persistence/document-store.ts';
import { json, jsonError, type HttpRequest, type HttpResponse } from '../http/types.ts';

export const EDIT_PATH = '/internal/v1/edits';

/** How long an edit waits for the log before answering 503 (the database is in trouble). */
const FLUSH_TIMEOUT_MS = 10_000;

async function stored(flush: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new PersistError(`not stored within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([flush, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const editBody = z
  .object({
    documentName: z.string().min(1).max(200),
    origin: z.object({ source: z.enum(SERVER_EDIT_SOURCES), userId: z.string().min(1).max(64) }).strict(),
    commands: z.array(z.unknown()).min(1).max(LIMITS.batchCommands),
  })
  .strict();

export type EditRequest = z.infer<typeof editBody>;

const statusByCode: Record<TimelineErrorCode, number> = {
  invalid_command: 400,
  invalid_snapshot: 400,
  unknown_id: 404,
  conflict: 409,
  schema_version: 409,
  track_locked: 423,
  limit_exceeded: 422,
  forbidden: 403,
};

/**
 * Server-side edits (SPEC.md SY60–SY64): the web app's REST, MCP and assistant routes
 * send a batch of timeline commands here. The batch runs through the timeline package
 * as one transaction on a Hocuspocus DirectConnection, so connected editors see it live
 * as a single change; the answer comes once the change is in the log.
 * The caller has already authenticated and authorised the user; the write access of
 * `origin.userId` is checked again here, cheaply, as a second line.
 */
export class EditEndpoint {
  private readonly hocuspocus: Hocuspocus<SyncContext>;
  private readonly store: DocumentStore;
  private readonly sql: Sql;
  private readonly log: Logger;
  private readonly metrics: SyncMetrics;

  constructor({ hocuspocus, store, sql, log, metrics }: { hocuspocus: Hocuspocus<SyncContext>; store: DocumentStore; sql: Sql; log: Logger; metrics: SyncMetrics }) {
    this.hocuspocus = hocuspocus;
    this.store = store;
    this.sql = sql;
    this.log = log;
    this.metrics = metrics;
  }

  /** Handles a request that already passed the network and secret checks (routes.ts). */
  async handle(request: HttpRequest, maxBodyBytes: number): Promise<HttpResponse> {
    const contentType = request.headers.get('content-type') ?? '';
    if (!/^application\/json\b/i.test(contentType)) return this.fail(415, 'unsupported_media_type', 'Send the edit as application/json');
    const raw = await request.readBody(maxBodyBytes);
    if (raw === null) return this.fail(413, 'payload_too_large', `The body is larger than ${maxBodyBytes} bytes`);
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      return this.fail(400, 'invalid_json', 'The body is not valid JSON');
    }
    const body = editBody.safeParse(parsedJson);
    if (!body.success) {
      const issue = body.error.issues[0];
      return this.fail(400, 'invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    return this.apply(body.data);
  }

  async apply({ documentName, origin, commands }: EditRequest): Promise<HttpResponse> {
    const name = parseDocumentName(documentName);
    if (!name) return this.fail(400, 'invalid_document', 'documentName must be project/<id>/timeline');
    if (name.kind !== 'timeline') return this.fail(400, 'unsupported_document', 'Server-side edits apply to timeline documents only');
    const role = await getRole({ sql: this.sql, projectId: name.projectId, userId: origin.userId });
    if (documentAccess(role, name.kind) !== 'write') return this.fail(403, 'forbidden', 'That user may not edit this timeline');

    const context: SyncContext = { origin };
    let connection;
    try {
      connection = await this.hocuspocus.openDirectConnection(documentName, context);
    } catch (error) {
      this.log.warn({ documentName, err: error }, 'edit refused: the document could not be loaded');
      return this.fail(503, 'document_unavailable', 'The document could not be loaded; nothing was changed');
    }
    try {
      let results: CommandResult[] = [];
      const timelineOrigin = originFor(origin.source, origin.userId);
      await connection.transact((document) => {
        results = applyCommands(document, commands, timelineOrigin);
      });
      await stored(this.store.flush(documentName), FLUSH_TIMEOUT_MS);
      this.metrics.edits.inc({ result: 'applied' });
      return json(200, { documentName, results });
    } catch (error) {
      if (error instanceof TimelineError) {
        return this.fail(statusByCode[error.code] ?? 400, error.code, error.message, error.commandIndex === undefined ? undefined : { commandIndex: error.commandIndex });
      }
      if (error instanceof PersistError || error instanceof RefusedError) {
        this.log.error({ documentName, err: error }, 'edit applied in memory but not stored');
        return this.fail(503, 'storage_unavailable', 'The edit was applied but could not be stored yet; it is stored once the database answers again');
      }
      this.log.error({ documentName, err: error }, 'edit failed');
      return this.fail(500, 'internal', 'The edit failed');
    } finally {
      // Unloading may wait (the Redis extension delays it); the caller needn't.
      void connection.disconnect().catch((error: unknown) => this.log.warn({ documentName, err: error }, 'direct connection did not close cleanly'));
    }
  }

  private fail(status: number, code: string, message: string, extra?: Record<string, unknown>): HttpResponse {
    this.metrics.edits.inc({ result: code });
    return jsonError(status, code, message, extra);
  }
}
