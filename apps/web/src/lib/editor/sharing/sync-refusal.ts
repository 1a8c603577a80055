/**
 * Hocuspocus answers every document update with a SyncStatus frame: 1 when the server
 * applied (and, in Cutline, stored) it, 0 when it refused it — apps/sync SY3/SY4: a write
 * on a read-only connection. The provider only counts the 1s, so a refusal would go
 * unseen; the session reads the frame itself to tell the person.
 *
 * Frame layout (lib0 encoding): varString(document name) · varUint(message type) ·
 * varInt(applied).
 */
const SYNC_STATUS = 8;

type Cursor = { bytes: Uint8Array; at: number };

function readVarUint(c: Cursor): number | null {
  let value = 0;
  let shift = 0;
  while (c.at < c.bytes.length && shift < 53) {
    const byte = c.bytes[c.at++] as number;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
    shift += 7;
  }
  return null;
}

/** lib0's signed varint: the first byte carries the sign in bit 6 and six value bits. */
function readVarInt(c: Cursor): number | null {
  if (c.at >= c.bytes.length) return null;
  const first = c.bytes[c.at++] as number;
  let value = first & 0x3f;
  const negative = (first & 0x40) !== 0;
  if (first & 0x80) {
    let shift = 6;
    for (;;) {
      if (c.at >= c.bytes.length) return null;
      const byte = c.bytes[c.at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
      shift += 7;
    }
  }
  return negative ? -value : value;
}

/** Is this server → client frame a refused write (SyncStatus 0)? Anything else: false. */
export function isRefusedWrite(frame: Uint8Array): boolean {
  const c: Cursor = { bytes: frame, at: 0 };
  const nameLength = readVarUint(c);
  if (nameLength === null) return false;
  c.at += nameLength;
  if (readVarUint(c) !== SYNC_STATUS) return false;
  return readVarInt(c) === 0;
}
