import * as decoding from 'lib0/decoding';
import { MalformedFrameError } from './frame.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Shape and size of an awareness update (y-protocols: `varUint n`, then n × `varUint
 * clientId, varUint clock, varString json`), checked before Hocuspocus decodes it.
 * What the states may contain is the presence contract's business (@cutline/shared/presence).
 */
export function checkAwarenessUpdate(update: Uint8Array, { maxStates, maxStateBytes }: { maxStates: number; maxStateBytes: number }): void {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > maxStates) throw new MalformedFrameError(`awareness update carries ${count} states (limit ${maxStates})`);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      if (clientId > Number.MAX_SAFE_INTEGER || clock > Number.MAX_SAFE_INTEGER) throw new MalformedFrameError('awareness clock out of range');
      const length = decoding.readVarUint(decoder);
      if (length > maxStateBytes) throw new MalformedFrameError(`awareness state of ${length} bytes (limit ${maxStateBytes})`);
      if (decoder.pos + length > update.length) throw new MalformedFrameError('awareness state is truncated');
      const json = utf8.decode(decoding.readUint8Array(decoder, length));
      JSON.parse(json);
    }
  } catch (error) {
    if (error instanceof MalformedFrameError) throw error;
    throw new MalformedFrameError(`undecodable awareness update: ${error instanceof Error ? error.message : String(error)}`);
  }
}
