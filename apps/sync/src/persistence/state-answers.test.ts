import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { neutralizeAnswered, StateAnswers } from './state-answers.ts';
import { MessageKind } from '../protocol/frame.ts';

/** The update carried by a SyncStep2 frame. */
function updateOf(frame: Uint8Array): Uint8Array {
  const d = decoding.createDecoder(frame);
  decoding.readVarString(d);
  expect(decoding.readVarUint(d)).toBe(MessageKind.Sync);
  expect(decoding.readVarUint(d)).toBe(1);
  return decoding.readVarUint8Array(d);
}

describe('StateAnswers', () => {
  it('[SY29] answers what Yjs would, encodes an unchanged document once, and starts over when it changes', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('a', 1);
    const answers = new StateAnswers();
    const empty = Y.encodeStateVector(new Y.Doc());
    const first = answers.answer({ document: doc, address: 'd', stateVector: empty });
    expect(first.cached).toBe(false);
    expect(updateOf(first.frames[1])).toEqual(Y.encodeStateAsUpdate(doc, empty));
    // A vector naming only clients the document never saw asks for everything too.
    const other = new Y.Doc();
    other.getMap('x').set('y', 2);
    expect(answers.answer({ document: doc, address: 'd', stateVector: Y.encodeStateVector(other) }).cached).toBe(true);
    // A session-aware address gets its own frame around the same encoded state.
    const session = answers.answer({ document: doc, address: 'd\u0000s1', stateVector: empty });
    expect(session.cached).toBe(true);
    expect(updateOf(session.frames[1])).toEqual(Y.encodeStateAsUpdate(doc, empty));

    doc.getMap('m').set('b', 2);
    const after = answers.answer({ document: doc, address: 'd', stateVector: empty });
    expect(after.cached).toBe(false);
    expect(updateOf(after.frames[1])).toEqual(Y.encodeStateAsUpdate(doc, empty));

    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    doc.getMap('m').set('c', 3);
    const partial = answers.answer({ document: doc, address: 'd', stateVector: Y.encodeStateVector(peer) });
    Y.applyUpdate(peer, updateOf(partial.frames[1]));
    expect(peer.getMap('m').toJSON()).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('[SY29] an answered SyncStep1 frame becomes a QueryAwareness frame in place', () => {
    const frame = new Uint8Array([1, 100, MessageKind.Sync, 0, 1, 0]);
    neutralizeAnswered(frame);
    expect([...frame]).toEqual([1, 100, MessageKind.QueryAwareness, 0, 1, 0]);
  });
});
