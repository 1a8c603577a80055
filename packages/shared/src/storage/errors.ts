import { CutlineError } from '../errors.ts';

/** A key that is not one we generate: `[a-z0-9/_.-]`, no `..`, no empty or dot-led segment. */
export class StorageKeyError extends CutlineError {
  constructor(key: string, why: string) {
    super('storage_key_invalid', `Invalid storage key ${JSON.stringify(key.slice(0, 100))}: ${why}`, 500);
  }
}

export class StorageNotFoundError extends CutlineError {
  readonly key: string;
  constructor(key: string, options?: ErrorOptions) {
    super('not_found', `No stored object at ${key}`, 404, options);
    this.key = key;
  }
}

/** The byte range cannot be served (HTTP 416); `size` lets a route answer `bytes *\/size`. */
export class StorageRangeError extends CutlineError {
  readonly size: number | null;
  constructor(message: string, size: number | null) {
    super('range_not_satisfiable', message, 416);
    this.size = size;
  }
}

/** `put` was given more bytes than its `maxBytes`; nothing was stored. */
export class StorageTooLargeError extends CutlineError {
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super('payload_too_large', `The file is larger than the limit of ${maxBytes} bytes`, 413);
    this.maxBytes = maxBytes;
  }
}

/** The storage backend failed (S3 answered with an error, the disk refused a write). */
export class StorageBackendError extends CutlineError {
  constructor(message: string, options?: ErrorOptions) {
    super('storage_failed', message, 502, options);
  }
}
