import type { beforeHandleMessagePayload, Extension } from '@hocuspocus/server';
import type { Logger } from '@cutline/shared/log';
import { CloseCode, RefusedError, type SyncContext } from '../context.ts';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import { recallCheck } from './checked-frames.ts';
import { checkAgainstDocument } from './document-check.ts';
import { parseClientFrame } from './frame.ts';
import { checkUpdate, InvalidUpdateError } from './update-check.ts';

/**
 * Checks each client update against the document before it is stored or applied
 * (SPEC.md SY32, SY33): no missing dependencies, no types nested too deep. The gate has
 * already checked the update on its own (SY31); this needs the document, so it runs as a
 * hook, after authentication and before the document store (higher priority runs first).
 * A refused update closes its document connection, like one that would make the document
 * too large (SY25): the client reconnects and resyncs from state vectors, which brings
 * along whatever the refused update depended on.
 */
export class UpdateGuard implements Extension<SyncContext> {
  extensionName = 'cutline-update-guard';
  priority = 1000;
  private readonly metrics: SyncMetrics;
  private readonly log: Logger;
  private readonly maxTokenLength: number;

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
      checkAgainstDocument(document, checked.decoded);
    } catch (error) {
      if (!(error instanceof InvalidUpdateError)) throw error;
      this.metrics.rejected('invalid_update');
      this.log.info({ documentName, reason: error.message }, 'an update was refused');
      throw new RefusedError(CloseCode.InvalidData, 'invalid-update', error.message);
    }
  }
}
