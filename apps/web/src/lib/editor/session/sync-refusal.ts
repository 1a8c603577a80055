import * as decoding from 'lib0/decoding';

/**
 * Hocuspocus answers every document update with a SyncStatus frame: 1 when the server
 * applied (and, in Cutline, stored) it, 0 when it refused it — apps/sync SY3/SY4: a write
 * on a read-only connection; SY6: a change to someone else's comment. The provider only
 * counts the 1s, so a refusal would go unseen; the session reads the frame itself.
 *
 * Frame layout (lib0 encoding): varString(document name) · varUint(message type) ·
 * varInt(applied).
 */
const SYNC_STATUS = 8;

/** Is this server → client frame a refused write (SyncStatus 0)? Anything else: false. */
export function isRefusedWrite(frame: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== SYNC_STATUS || !decoding.hasContent(decoder)) return false;
    return decoding.readVarInt(decoder) === 0;
  } catch {
    // A truncated or foreign frame is not a refusal.
    return false;
  }
}
