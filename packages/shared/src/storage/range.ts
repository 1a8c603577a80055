import { StorageRangeError } from './errors.ts';
import type { ByteRange } from './types.ts';

/** Checks what can be checked without the object's size. */
export function assertRangeShape(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) throw new StorageRangeError(`Range start ${start} is not a byte offset`, null);
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new StorageRangeError(`Range end ${end} is before start ${start}`, null);
  }
}

/** The inclusive range to read from an object of `size` bytes (HTTP semantics). */
export function resolveRange(range: ByteRange, size: number): { start: number; end: number } {
  assertRangeShape(range);
  if (range.start >= size) throw new StorageRangeError(`Range start ${range.start} is past the end (${size} bytes)`, size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}
