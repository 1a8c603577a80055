import * as encoding from 'lib0/encoding';
import { MessageKind } from './frame.ts';

const utf8 = new TextDecoder();

/** Sub-types of an Auth frame (y-protocols/auth, as Hocuspocus writes them). */
const AuthAnswer = { PermissionDenied: 1, Authenticated: 2 } as const;

/**
 * Where the address of a server → client frame ends and which message type follows, read
 * without allocating: it runs on every frame sync sends.
 */
function header(frame: Uint8Array): { start: number; end: number; type: number | undefined } | null {
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
  const end = pos + length;
  // The message type is a one-byte varUint for every type Hocuspocus defines.
  return { start: pos, end, type: frame[end] };
}

/**
 * The address of a server → client SyncStatus frame, or null for any other frame. Read
 * without allocating beyond the address string: it runs on every frame a held-back
 * acknowledgement could be queued behind.
 */
export function syncStatusAddress(frame: Uint8Array): string | null {
  const at = header(frame);
  if (at?.type !== MessageKind.SyncStatus) return null;
  return utf8.decode(frame.subarray(at.start, at.end));
}

/**
 * What a server → client frame says about its document connection, as Hocuspocus keeps
 * it for the socket: `authenticated` (the Auth answer), `denied` (refused or failed to
 * load) or `closed` — after either, Hocuspocus has dropped everything it held for that
 * address — or null. The gate counts a socket's documents and its authentication from
 * these (SY23, SY27).
 */
export function documentSignal(frame: Uint8Array): { address: string; signal: 'authenticated' | 'denied' | 'closed' } | null {
  const at = header(frame);
  if (!at || (at.type !== MessageKind.Auth && at.type !== MessageKind.Close)) return null;
  let signal: 'authenticated' | 'denied' | 'closed';
  if (at.type === MessageKind.Close) signal = 'closed';
  else if (frame[at.end + 1] === AuthAnswer.PermissionDenied) signal = 'denied';
  else if (frame[at.end + 1] === AuthAnswer.Authenticated) signal = 'authenticated';
  else return null;
  return { address: utf8.decode(frame.subarray(at.start, at.end)), signal };
}

/** The Auth answer that refuses one document connection (the socket stays open). */
export function permissionDeniedFrame(address: string, reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, address);
  encoding.writeVarUint(encoder, MessageKind.Auth);
  encoding.writeVarUint(encoder, AuthAnswer.PermissionDenied);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}
