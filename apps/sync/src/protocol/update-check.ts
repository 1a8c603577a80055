import * as Y from 'yjs';
import { CutlineError } from '@cutline/shared/errors';

/**
 * Structural checks on a Yjs v1 update before it is persisted or applied (SPEC.md SY31).
 *
 * An update that fails here never reaches the log: a stored update that cannot be loaded
 * would refuse every later connection to the document. The checks are about shape and
 * bounds, not meaning:
 * - it must decode completely and exactly: truncated and garbage bytes throw inside Yjs'
 *   reader, and bytes left over after the delete set are refused too;
 * - clocks and lengths stay below 2^31. Real clients count one per inserted item or
 *   character; a crafted run-length struct (yjs#687: a GC or Skip with a length near
 *   2^53, a delete range over the whole clock space) is refused instead of being
 *   integrated into state vectors every client then has to carry;
 * - no sub-documents (the timeline and comments schemas have none, and each would
 *   allocate a Y.Doc on every peer).
 * The v2 format is never decoded from client input: Hocuspocus reads v1 only, and the
 * RLE decoders that yjs#687 abuses exist only in v2.
 */
export const MAX_CLOCK = 2 ** 31;
const MAX_CLIENT_ID = Number.MAX_SAFE_INTEGER;

export class InvalidUpdateError extends CutlineError {
  constructor(message: string) {
    super('invalid_update', message, 400);
  }
}

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * What a checked update holds: `empty` ones change nothing and need not be stored;
 * `decoded` is kept for the checks against the document (update-guard.ts).
 */
export type CheckedUpdate = { empty: boolean; decoded: DecodedUpdate };

/** Y.decodeUpdate, telling also where its reader stopped. */
function decodeV1(update: Uint8Array): { decoded: DecodedUpdate; end: number } {
  let reader: { pos: number } | undefined;
  // decodeUpdate is decodeUpdateV2 with the v1 decoder class; a subclass lets us keep the
  // byte reader it wraps and see where it stopped (Yjs ignores what follows the delete set).
  class Reader extends Y.UpdateDecoderV1 {
    constructor(decoder: ConstructorParameters<typeof Y.UpdateDecoderV1>[0]) {
      super(decoder);
      reader = decoder;
    }
  }
  const decoded = Y.decodeUpdateV2(update, Reader);
  return { decoded, end: reader?.pos ?? -1 };
}

export function checkUpdate(update: Uint8Array): CheckedUpdate {
  // The smallest valid v1 update is [0, 0]: no structs, empty delete set.
  if (update.length < 2) throw new InvalidUpdateError('update too short');
  let decoded: DecodedUpdate;
  try {
    const read = decodeV1(update);
    decoded = read.decoded;
    if (read.end !== update.length) throw new InvalidUpdateError(`${update.length - read.end} bytes after the update`);
  } catch (error) {
    if (error instanceof InvalidUpdateError) throw error;
    throw new InvalidUpdateError(`update does not decode: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    if (!Number.isSafeInteger(client) || client < 0 || client > MAX_CLIENT_ID) throw new InvalidUpdateError('client id out of range');
    if (!Number.isSafeInteger(clock) || !Number.isSafeInteger(struct.length) || struct.length < 0 || clock + struct.length > MAX_CLOCK) {
      throw new InvalidUpdateError('struct clock out of range');
    }
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentDoc) throw new InvalidUpdateError('sub-documents are not allowed');
  }
  let deletes = 0;
  for (const [client, items] of decoded.ds.clients) {
    if (!Number.isSafeInteger(client) || client < 0) throw new InvalidUpdateError('delete-set client out of range');
    for (const item of items) {
      if (!Number.isSafeInteger(item.clock) || !Number.isSafeInteger(item.len) || item.len < 0 || item.clock + item.len > MAX_CLOCK) {
        throw new InvalidUpdateError('delete range out of range');
      }
      deletes += 1;
    }
  }
  return { empty: decoded.structs.length === 0 && deletes === 0, decoded };
}

/** A state vector (SyncStep1 body) must decode and name sane clocks. */
export function checkStateVector(stateVector: Uint8Array): void {
  let decoded: Map<number, number>;
  try {
    decoded = Y.decodeStateVector(stateVector);
  } catch (error) {
    throw new InvalidUpdateError(`state vector does not decode: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const [client, clock] of decoded) {
    if (!Number.isSafeInteger(client) || client < 0 || !Number.isSafeInteger(clock) || clock < 0 || clock > MAX_CLOCK) {
      throw new InvalidUpdateError('state vector out of range');
    }
  }
}
