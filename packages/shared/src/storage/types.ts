import type { Readable } from 'node:stream';

/**
 * A byte range with an inclusive `end`, as in HTTP `Range: bytes=start-end`. Without
 * `end` the range runs to the end of the object; an `end` past the end is clamped.
 */
export type ByteRange = { start: number; end?: number };

/** What `put` stores: a stream (read once, to the end) or a file already on disk. */
export type PutSource = Readable | { path: string };

export type PutOptions = {
  /** Refuse (StorageTooLargeError) and store nothing once more bytes than this arrive. */
  maxBytes?: number;
  contentType?: string;
};

/** A file FFmpeg can open; call `release` when done (S3 deletes its temp copy). */
export type LocalFile = { path: string; release(): Promise<void> };

/**
 * One storage contract for every driver (storage.contract.ts tests it). Keys are ours
 * (see keys.ts); a reader never sees a half-written object: `put` writes elsewhere and
 * the object appears whole or not at all.
 */
export interface Storage {
  readonly driver: 'local' | 's3';
  put(key: string, source: PutSource, options?: PutOptions): Promise<{ size: number }>;
  /** Throws StorageNotFoundError, or StorageRangeError for a range past the end. */
  get(key: string, options?: { range?: ByteRange }): Promise<Readable>;
  /** Throws StorageNotFoundError. */
  stat(key: string): Promise<{ size: number }>;
  exists(key: string): Promise<boolean>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A path on this machine holding the object's bytes, for FFmpeg input. */
  localFile(key: string): Promise<LocalFile>;
}
