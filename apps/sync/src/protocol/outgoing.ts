import { MessageKind } from './frame.ts';

const utf8 = new TextDecoder();

/**
 * The address of a server → client SyncStatus frame, or null for any other frame. Read
 * without allocating beyond the address string: it runs on every frame a held-back
 * acknowledgement could be queued behind.
 */
export function syncStatusAddress(frame: Uint8Array): string | null {
  let pos = 0;
  let length = 0;
  let shift = 0;
  for (;;) {
    const byte = frame[pos++];
    if (byte === undefined) return null;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
    shift += 7;
    if (shift > 28) return null;
  }
  const typeAt = pos + length;
  // The message type is a one-byte varUint for every type Hocuspocus defines.
  if (frame[typeAt] !== MessageKind.SyncStatus) return null;
  return utf8.decode(frame.subarray(pos, typeAt));
}
