import * as decoding from 'lib0/decoding';
import { CutlineError } from '@cutline/shared/errors';

/**
 * The Hocuspocus wire format, client → server: `varString address` (the document name,
 * optionally `\0<sessionId>`), `varUint type`, then a type-specific body. The gate
 * parses every frame once before Hocuspocus sees it, so a malformed frame closes that
 * WebSocket and never reaches a hook (SPEC.md SY30).
 */
export const MessageKind = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  SyncReply: 4,
  Stateless: 5,
  BroadcastStateless: 6,
  Close: 7,
  SyncStatus: 8,
  Ping: 9,
  Pong: 10,
} as const;

const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const;

/** `address` is the document name as sent, with its `\0<sessionId>` if any: Hocuspocus keys a socket's documents by it. */
type Addressed = { documentName: string; address: string };

export type ClientFrame =
  | { kind: 'pong' }
  | (Addressed & { kind: 'sync'; step: 'step1'; stateVector: Uint8Array })
  | (Addressed & { kind: 'sync'; step: 'step2' | 'update'; update: Uint8Array })
  | (Addressed & { kind: 'awareness'; update: Uint8Array })
  | (Addressed & { kind: 'auth'; token: string })
  | (Addressed & { kind: 'queryAwareness' })
  | (Addressed & { kind: 'stateless'; payloadBytes: number })
  | (Addressed & { kind: 'close' });

export class MalformedFrameError extends CutlineError {
  constructor(message: string) {
    super('malformed_frame', message, 400);
  }
}

const MAX_ADDRESS_LENGTH = 300;

function bytes(decoder: decoding.Decoder, what: string): Uint8Array {
  const length = decoding.readVarUint(decoder);
  // lib0 would hand back a silently shortened view; a truncated frame must fail here.
  if (decoder.pos + length > decoder.arr.length) throw new MalformedFrameError(`${what} is truncated`);
  return decoding.readUint8Array(decoder, length);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function string(decoder: decoding.Decoder, what: string, maxLength: number): string {
  const raw = bytes(decoder, what);
  if (raw.length > maxLength * 4) throw new MalformedFrameError(`${what} is too long`);
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new MalformedFrameError(`${what} is not UTF-8`);
  }
  if (text.length > maxLength) throw new MalformedFrameError(`${what} is too long`);
  return text;
}

/** Parses one frame or throws MalformedFrameError. Never throws anything else. */
export function parseClientFrame(data: Uint8Array, { maxTokenLength }: { maxTokenLength: number }): ClientFrame {
  // The provider answers a server Ping with a bare one-byte Pong (no address).
  if (data.length === 1 && data[0] === MessageKind.Pong) return { kind: 'pong' };
  try {
    return parse(data, maxTokenLength);
  } catch (error) {
    if (error instanceof MalformedFrameError) throw error;
    throw new MalformedFrameError(`undecodable frame: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parse(data: Uint8Array, maxTokenLength: number): ClientFrame {
  const decoder = decoding.createDecoder(data);
  const address = string(decoder, 'document address', MAX_ADDRESS_LENGTH);
  const separator = address.indexOf('\0');
  const documentName = separator === -1 ? address : address.slice(0, separator);
  if (documentName.length === 0) throw new MalformedFrameError('empty document name');
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageKind.Sync:
    case MessageKind.SyncReply: {
      const step = decoding.readVarUint(decoder);
      if (step === SyncStep.Step1) return { kind: 'sync', documentName, address, step: 'step1', stateVector: bytes(decoder, 'state vector') };
      if (step === SyncStep.Step2) return { kind: 'sync', documentName, address, step: 'step2', update: bytes(decoder, 'update') };
      if (step === SyncStep.Update) return { kind: 'sync', documentName, address, step: 'update', update: bytes(decoder, 'update') };
      throw new MalformedFrameError(`unknown sync step ${step}`);
    }
    case MessageKind.Awareness:
      return { kind: 'awareness', documentName, address, update: bytes(decoder, 'awareness update') };
    case MessageKind.Auth: {
      decoding.readVarUint(decoder); // sub-type: always "token" from a client
      const token = string(decoder, 'token', maxTokenLength);
      return { kind: 'auth', documentName, address, token };
    }
    case MessageKind.QueryAwareness:
      return { kind: 'queryAwareness', documentName, address };
    case MessageKind.Stateless:
      return { kind: 'stateless', documentName, address, payloadBytes: bytes(decoder, 'stateless payload').length };
    case MessageKind.Close:
      return { kind: 'close', documentName, address };
    default:
      // BroadcastStateless is server-internal (Redis), SyncStatus/Ping flow server → client.
      throw new MalformedFrameError(`message type ${type} may not come from a client`);
  }
}
