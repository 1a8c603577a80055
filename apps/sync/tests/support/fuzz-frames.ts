import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { frames } from '@cutline/shared/raw-sync-client';
import { randomEdit } from './random-edits.ts';

export type FuzzKind = 'valid' | 'truncated' | 'oversized' | 'wrong-type' | 'garbage-update' | 'mutated-update' | 'crafted-687' | 'random-bytes' | 'bad-awareness' | 'text';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

function v1(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/**
 * Updates crafted after yjs#687 (run-length fields that decode to astronomically many
 * structs or clocks) and its v1 equivalents, plus a sub-document. All are refused (the
 * first, the v2 reproducer read as the v1 the protocol carries, for the bytes it
 * leaves over); `refused: false` marks one that would only be left unstored.
 */
export const CRAFTED: ReadonlyArray<{ name: string; update: Uint8Array; refused?: false }> = [
  // The mergeUpdatesV2 reproducer, sent where a v1 update is expected: read as
  // v1 it is an empty update followed by bytes it does not use (SY31 refuses those).
  { name: 'yjs#687 v2 payload', update: hex('00010000000001000100010200001602000001fdffffffff7f0000') },
  // The second reproducer shape: a tiny update claiming 2^32-1 structs.
  { name: '2^32-1 structs', update: v1((e) => [1, 0xffffffff, 7, 0].forEach((n) => encoding.writeVarUint(e, n))) },
  {
    name: 'GC of length 2^52',
    update: v1((e) => {
      [1, 1, 7, 0].forEach((n) => encoding.writeVarUint(e, n));
      encoding.writeUint8(e, 0); // info: GC
      encoding.writeVarUint(e, 2 ** 52);
      encoding.writeVarUint(e, 0); // empty delete set
    }),
  },
  {
    name: 'Skip of length 2^52',
    update: v1((e) => {
      [1, 1, 7, 0].forEach((n) => encoding.writeVarUint(e, n));
      encoding.writeUint8(e, 10); // info: Skip
      encoding.writeVarUint(e, 2 ** 52);
      encoding.writeVarUint(e, 0);
    }),
  },
  {
    name: 'delete range over the whole clock space',
    update: v1((e) => [0, 1, 7, 1, 0, 2 ** 53 - 1].forEach((n) => encoding.writeVarUint(e, n))),
  },
  {
    name: 'ContentDeleted of length 2^50',
    update: v1((e) => {
      [1, 1, 7, 0].forEach((n) => encoding.writeVarUint(e, n));
      encoding.writeUint8(e, 1); // info: ContentDeleted, no origins → parent info follows
      encoding.writeVarUint(e, 1); // parent is a root type…
      encoding.writeVarString(e, 'clips'); // …named clips
      encoding.writeVarUint(e, 2 ** 50);
      encoding.writeVarUint(e, 0);
    }),
  },
  {
    name: '2^40 state updates',
    update: v1((e) => encoding.writeVarUint(e, 2 ** 40)),
  },
  {
    name: 'a sub-document',
    update: (() => {
      const doc = new Y.Doc();
      doc.getMap('clips').set('sub', new Y.Doc());
      return Y.encodeStateAsUpdate(doc);
    })(),
  },
];

/** Seeded frame generator over a real timeline document's updates. */
export function fuzzFrames({ random, documentName, base, maxFrameBytes }: { random: () => number; documentName: string; base: Uint8Array; maxFrameBytes: number }) {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, base);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  const validUpdate = (): Uint8Array => {
    let update: Uint8Array | undefined;
    const capture = (u: Uint8Array) => (update = u);
    scratch.on('update', capture);
    for (let i = 0; i < 5 && !update; i++) randomEdit(random, scratch, 'fuzzer');
    scratch.off('update', capture);
    return update ?? Y.encodeStateAsUpdate(scratch);
  };

  return function next(): { kind: FuzzKind; frame: Uint8Array | string } {
    const roll = random();
    if (roll < 0.1) return { kind: 'valid', frame: frames.update(documentName, validUpdate()) };
    if (roll < 0.25) {
      const frame = frames.update(documentName, validUpdate());
      return { kind: 'truncated', frame: frame.slice(0, 1 + Math.floor(random() * (frame.length - 1))) };
    }
    if (roll < 0.255) return { kind: 'oversized', frame: frames.update(documentName, bytes(maxFrameBytes + 1024)) };
    if (roll < 0.35) {
      const type = [4, 6, 8, 9, 10, 11, 99, 127, 2 ** 20][Math.floor(random() * 9)] ?? 99;
      const frame = random() < 0.5 ? frames.typed(documentName, type, bytes(Math.floor(random() * 40))) : frames.typed(documentName, 0, Uint8Array.of(3 + Math.floor(random() * 5)));
      return { kind: 'wrong-type', frame };
    }
    if (roll < 0.5) return { kind: 'garbage-update', frame: frames.update(documentName, bytes(Math.floor(random() * 300))) };
    if (roll < 0.7) {
      const update = validUpdate().slice();
      const flips = 1 + Math.floor(random() * 3);
      for (let i = 0; i < flips; i++) update[Math.floor(random() * update.length)] = Math.floor(random() * 256);
      return { kind: 'mutated-update', frame: frames.update(documentName, update) };
    }
    if (roll < 0.78) {
      const crafted = CRAFTED[Math.floor(random() * CRAFTED.length)] ?? CRAFTED[0];
      return { kind: 'crafted-687', frame: frames.update(documentName, crafted?.update ?? new Uint8Array()) };
    }
    if (roll < 0.86) return { kind: 'random-bytes', frame: bytes(1 + Math.floor(random() * 200)) };
    if (roll < 0.95) {
      const state = random() < 0.5 ? { playhead: bytes(4).join('') } : '{not json';
      const frame =
        typeof state === 'string'
          ? frames.typed(documentName, 1, v1((e) => encoding.writeVarUint8Array(e, v1((inner) => [1, 5, 1].forEach((n) => encoding.writeVarUint(inner, n))))))
          : frames.awareness(documentName, [{ clientId: Math.floor(random() * 2 ** 31), clock: Math.floor(random() * 10), state }]);
      return { kind: 'bad-awareness', frame };
    }
    return { kind: 'text', frame: 'x'.repeat(Math.floor(random() * 100)) };
  };
}
