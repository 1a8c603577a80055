import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CRAFTED } from '../../tests/support/fuzz-frames.ts';
import { frames } from '@cutline/shared/raw-sync-client';
import { checkAwarenessUpdate } from './awareness-check.ts';
import { MalformedFrameError, parseClientFrame } from './frame.ts';
import { documentSignal, permissionDeniedFrame } from './outgoing.ts';
import { checkStateVector, checkUpdate, InvalidUpdateError } from './update-check.ts';

const opts = { maxTokenLength: 512 };
const doc = 'project/abc/timeline';

function realUpdate(): Uint8Array {
  const d = new Y.Doc();
  d.getMap('clips').set('c1', new Y.Map([['start', 1]]));
  d.getText('t').insert(0, 'hello');
  d.getText('t').delete(1, 2);
  return Y.encodeStateAsUpdate(d);
}

describe('client frames', () => {
  it('[SY30] parses every message a provider sends', () => {
    expect(parseClientFrame(frames.auth(doc, 'tok'), opts)).toEqual({ kind: 'auth', documentName: doc, address: doc, token: 'tok' });
    expect(parseClientFrame(frames.update(doc, realUpdate()), opts)).toMatchObject({ kind: 'sync', step: 'update', documentName: doc });
    expect(parseClientFrame(frames.syncStep1(doc, new Uint8Array([0])), opts)).toMatchObject({ kind: 'sync', step: 'step1' });
    expect(parseClientFrame(frames.awareness(doc, []), opts)).toMatchObject({ kind: 'awareness' });
    expect(parseClientFrame(frames.typed(doc, 3), opts)).toEqual({ kind: 'queryAwareness', documentName: doc, address: doc });
    expect(parseClientFrame(frames.typed(doc, 7), opts)).toEqual({ kind: 'close', documentName: doc, address: doc });
    expect(parseClientFrame(Uint8Array.of(10), opts)).toEqual({ kind: 'pong' });
  });

  it('[SY30] the session suffix of an address is not part of the document name', () => {
    expect(parseClientFrame(frames.typed(`${doc}\0session-1`, 3), opts)).toEqual({ kind: 'queryAwareness', documentName: doc, address: `${doc}\0session-1` });
  });

  it.each([
    ['empty', new Uint8Array()],
    ['a truncated update', frames.update(doc, realUpdate()).slice(0, -3)],
    ['a server-only type (BroadcastStateless)', frames.typed(doc, 6, Uint8Array.of(0))],
    ['SyncStatus from a client', frames.typed(doc, 8, Uint8Array.of(1))],
    ['an unknown sync step', frames.typed(doc, 0, Uint8Array.of(9, 0))],
    ['an address that is not UTF-8', Uint8Array.of(2, 0xff, 0xfe, 0)],
    ['an empty document name', Uint8Array.of(0, 3)],
    ['a token longer than allowed', frames.auth(doc, 'x'.repeat(600))],
  ])('[SY30] refuses %s', (_label, frame) => {
    expect(() => parseClientFrame(frame, opts)).toThrow(MalformedFrameError);
  });
});

describe('update checks', () => {
  it('[SY31] accepts real updates, state vectors and an empty update', () => {
    expect(() => checkUpdate(realUpdate())).not.toThrow();
    expect(() => checkUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).not.toThrow();
    expect(() => checkStateVector(Y.encodeStateVector(new Y.Doc()))).not.toThrow();
  });

  it.each(CRAFTED.filter((c) => c.refused !== false).map((c) => [c.name, c.update] as const))('[SY31] refuses the crafted update "%s"', (_name, update) => {
    expect(() => checkUpdate(update)).toThrow(InvalidUpdateError);
  });

  it('[SY31] yjs#687’s v2 reproducer, read as v1, is an empty update with bytes left over: refused', () => {
    const [payload] = CRAFTED;
    expect(() => checkUpdate(payload?.update ?? new Uint8Array())).toThrow('bytes after the update');
    expect(checkUpdate(Uint8Array.of(0, 0))).toMatchObject({ empty: true });
    expect(checkUpdate(realUpdate())).toMatchObject({ empty: false });
  });

  it('[SY31] refuses every truncation of a real update', () => {
    const update = realUpdate();
    for (let cut = 0; cut < update.length - 1; cut++) {
      const truncated = update.slice(0, cut);
      let refused = false;
      try {
        checkUpdate(truncated);
      } catch (error) {
        refused = error instanceof InvalidUpdateError;
      }
      // A cut that lands exactly after a struct still decodes to a shorter valid update.
      if (!refused) expect(() => Y.applyUpdate(new Y.Doc(), truncated)).not.toThrow();
    }
  });

  it('[SY31] refuses state vectors with impossible clocks', () => {
    const e = encoding.createEncoder();
    [1, 5, 2 ** 40].forEach((n) => encoding.writeVarUint(e, n));
    expect(() => checkStateVector(encoding.toUint8Array(e))).toThrow(InvalidUpdateError);
    expect(() => checkStateVector(Uint8Array.of(3, 1))).toThrow(InvalidUpdateError);
  });

  it('[SY53] awareness updates are bounded in count and size and must hold JSON', () => {
    const limits = { maxStates: 2, maxStateBytes: 100 };
    const body = (entries: Array<[number, number, string]>) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, entries.length);
      for (const [id, clock, json] of entries) {
        encoding.writeVarUint(e, id);
        encoding.writeVarUint(e, clock);
        encoding.writeVarString(e, json);
      }
      return encoding.toUint8Array(e);
    };
    expect(() => checkAwarenessUpdate(body([[1, 1, '{"a":1}']]), limits)).not.toThrow();
    expect(() => checkAwarenessUpdate(body([[1, 1, 'null']]), limits)).not.toThrow();
    expect(() => checkAwarenessUpdate(body([[1, 1, '{}'], [2, 1, '{}'], [3, 1, '{}']]), limits)).toThrow(MalformedFrameError);
    expect(() => checkAwarenessUpdate(body([[1, 1, JSON.stringify({ pad: 'x'.repeat(200) })]]), limits)).toThrow(MalformedFrameError);
    expect(() => checkAwarenessUpdate(body([[1, 1, '{not json']]), limits)).toThrow(MalformedFrameError);
    expect(() => checkAwarenessUpdate(body([[1, 1, '{}']]).slice(0, -1), limits)).toThrow(MalformedFrameError);
  });
});

describe('server frames the gate listens to', () => {
  const answer = (type: number, ...body: Array<number | string>) => {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, `${doc}\0s1`);
    encoding.writeVarUint(e, type);
    for (const part of body) {
      if (typeof part === 'number') encoding.writeVarUint(e, part);
      else encoding.writeVarString(e, part);
    }
    return encoding.toUint8Array(e);
  };

  it('[SY23] [SY27] tells authenticated, denied and closed apart, by address', () => {
    const address = `${doc}\0s1`;
    expect(documentSignal(answer(2, 2, 'read-write'))).toEqual({ address, signal: 'authenticated' });
    expect(documentSignal(answer(2, 1, 'forbidden'))).toEqual({ address, signal: 'denied' });
    expect(documentSignal(answer(7, 'permission-revoked'))).toEqual({ address, signal: 'closed' });
    expect(documentSignal(answer(8, 1))).toBeNull();
    expect(documentSignal(answer(0, 1, 'x'))).toBeNull();
    expect(documentSignal(permissionDeniedFrame(address, 'too-many-documents'))).toEqual({ address, signal: 'denied' });
  });
});
