import { CutlineError } from '@cutline/shared/errors';

/**
 * The file itself is the problem (empty, truncated, not media, too large): retrying
 * cannot help. The ingest task records `reason` as the asset's failure_reason, word for
 * word, so it is written for the person who uploaded the file.
 */
export class MediaRejectedError extends CutlineError {
  readonly reason: string;
  constructor(reason: string, options?: ErrorOptions) {
    super('media_rejected', reason, 422, options);
    this.reason = reason;
  }
}
