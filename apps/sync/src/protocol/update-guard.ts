import type { afterHandleMessagePayload, beforeHandleMessagePayload, Connection, Extension } from '@hocuspocus/server';
import type { Logger } from '@cutline/shared/log';
import type { SyncContext } from '../context.ts';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import { recallCheck } from './checked-frames.ts';
import { checkAgainstDocument } from './document-check.ts';
import { parseClientFrame } from './frame.ts';
import { checkUpdate, InvalidUpdateError } from './update-check.ts';

/**
 * Checks each client update against the document before it is stored or applied
 * (SPEC.md SY32, SY33): no missing dependencies (timelines; comments have SY6), no types
 * nested too deep. The gate has
 * already checked the update on its own (SY31); this needs the document, so it runs as a
 * hook, after authentication and before the document store (higher priority runs first).
 * A refused update is answered like a read-only write (SY3, SY6): Hocuspocus answers
 * SyncStatus(false) for that one message and applies nothing, and the document store
 * stores nothing for a read-only connection; afterHandleMessage gives the access back.
 */
export class UpdateGuard implements Extension<SyncContext> {
  extensionName = 'cutline-update-guard';
  priority = 1000;
  private readonly metrics: SyncMetrics;
  private readonly log: Logger;
  private readonly maxTokenLength: number;
  /** Connections made read-only for the message being handled. */
  private readonly refusedOnce = new WeakSet<Connection<SyncContext>>();

  constructor({ metrics, log, maxTokenLength }: { metrics: SyncMetrics; log: Logger; maxTokenLength: number }) {
    this.metrics = metrics;
    this.log = log;
    this.maxTokenLength = maxTokenLength;
  }

  async beforeHandleMessage({ connection, update: frame, document, documentName }: beforeHandleMessagePayload<SyncContext>): Promise<void> {
    // Read-only connections' writes are never applied (SY3).
    if (connection.readOnly) return;
    const known = recallCheck(frame);
    const message = known?.frame ?? parseClientFrame(frame, { maxTokenLength: this.maxTokenLength });
    if (message.kind !== 'sync' || message.step === 'step1') return;
    const checked = known?.update ?? checkUpdate(message.update);
    if (checked.empty) return;
    try {
      // Comments refuse updates with missing dependencies themselves, counted towards
      // closing a client that keeps at it (SY6).
      checkAgainstDocument(document, checked.decoded, { dependencies: connection.context.auth?.kind !== 'comments' });
    } catch (error) {
      if (!(error instanceof InvalidUpdateError)) throw error;
      this.metrics.rejected('invalid_update');
      this.log.info({ documentName, reason: error.message }, 'an update was refused');
      connection.readOnly = true;
      this.refusedOnce.add(connection);
    }
  }

  async afterHandleMessage({ connection }: afterHandleMessagePayload<SyncContext>): Promise<void> {
    if (!this.refusedOnce.delete(connection)) return;
    connection.readOnly = connection.context.auth?.access !== 'write';
  }
}
