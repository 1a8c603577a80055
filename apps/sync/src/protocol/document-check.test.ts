import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkAgainstDocument, MAX_NESTING_DEPTH } from './document-check.ts';
import { checkUpdate, InvalidUpdateError } from './update-check.ts';

/** A map nested `levels` deep under the root map `root`, as one update. */
function nested(levels: number, doc = new Y.Doc()): Uint8Array {
  doc.transact(() => {
    let parent: Y.Map<unknown> = doc.getMap('root');
    for (let i = 0; i < levels; i++) {
      const child = new Y.Map<unknown>();
      parent.set('child', child);
      parent = child;
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

const check = (doc: Y.Doc, update: Uint8Array, maxDepth?: number) => checkAgainstDocument(doc, checkUpdate(update).decoded, maxDepth === undefined ? {} : { maxDepth });

describe('updates against the document', () => {
  it('[SY31] bytes after a valid update are refused', () => {
    const update = nested(1);
    expect(() => checkUpdate(update)).not.toThrow();
    expect(() => checkUpdate(Uint8Array.from([...update, 0]))).toThrow(InvalidUpdateError);
    expect(() => checkUpdate(Uint8Array.from([...update, 1, 2, 3]))).toThrow('bytes after the update');
  });

  it('[SY32] the comments layout (threads → thread → replies → reply) is far from the nesting limit', () => {
    const source = new Y.Doc();
    const thread = new Y.Map<unknown>([['body', 'hi']]);
    source.getMap('threads').set('t1', thread);
    const replies = new Y.Map<unknown>();
    thread.set('replies', replies);
    replies.set('r1', new Y.Map<unknown>([['body', 'reply']]));
    expect(() => check(new Y.Doc(), Y.encodeStateAsUpdate(source))).not.toThrow();
    expect(() => check(new Y.Doc(), Y.encodeStateAsUpdate(source), 3)).not.toThrow();
    expect(() => check(new Y.Doc(), Y.encodeStateAsUpdate(source), 2)).toThrow('nest deeper');
    expect(MAX_NESTING_DEPTH).toBeGreaterThanOrEqual(8 * 3);
  });

  it('[SY32] a map nested 3,000 deep is refused, at once or level by level', () => {
    expect(() => check(new Y.Doc(), nested(3_000))).toThrow('nest deeper than 32');
    expect(() => check(new Y.Doc(), nested(MAX_NESTING_DEPTH))).not.toThrow();
    // Built across updates: each one only adds a level below what the document holds.
    const live = new Y.Doc();
    const writer = new Y.Doc();
    let parent: Y.Map<unknown> = writer.getMap('root');
    let refusedAt = -1;
    for (let level = 1; level <= MAX_NESTING_DEPTH + 1 && refusedAt < 0; level++) {
      const before = Y.encodeStateVector(writer);
      const child = new Y.Map<unknown>();
      parent.set('child', child);
      parent = child;
      const update = Y.encodeStateAsUpdate(writer, before);
      try {
        check(live, update);
        Y.applyUpdate(live, update);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidUpdateError);
        refusedAt = level;
      }
    }
    expect(refusedAt).toBe(MAX_NESTING_DEPTH + 1);
  });

  it('[SY33] an update that builds on changes the document does not have is refused; with them it passes', () => {
    const writer = new Y.Doc();
    writer.getText('t').insert(0, 'hello');
    const first = Y.encodeStateAsUpdate(writer);
    const vector = Y.encodeStateVector(writer);
    writer.getText('t').insert(5, ' world');
    const second = Y.encodeStateAsUpdate(writer, vector);
    const live = new Y.Doc();
    expect(() => check(live, second)).toThrow('depends on changes the server does not have');
    Y.applyUpdate(live, first);
    expect(() => check(live, second)).not.toThrow();

    // Another client's edit on top of text it never received.
    const other = new Y.Doc();
    Y.applyUpdate(other, first);
    const otherVector = Y.encodeStateVector(other);
    other.getText('t').insert(2, 'XX');
    expect(() => check(new Y.Doc(), Y.encodeStateAsUpdate(other, otherVector))).toThrow('depends on changes');
  });

  it('[SY33] deleting what the document does not have is refused', () => {
    const writer = new Y.Doc();
    writer.getText('t').insert(0, 'hello');
    const vector = Y.encodeStateVector(writer);
    writer.getText('t').delete(0, 2);
    const deletion = Y.encodeStateAsUpdate(writer, vector);
    expect(() => check(new Y.Doc(), deletion)).toThrow('deletes changes the server does not have');
  });

  it('[SY33] a real editing session passes, update by update', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const live = new Y.Doc();
    const relay = (from: Y.Doc, to: Y.Doc[]) => (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      check(live, update);
      Y.applyUpdate(live, update);
      for (const doc of to) Y.applyUpdate(doc, update, 'remote');
    };
    a.on('update', relay(a, [b]));
    b.on('update', relay(b, [a]));
    const clips = a.getMap('clips');
    clips.set('c1', new Y.Map<unknown>([['start', 1]]));
    (b.getMap('clips').get('c1') as Y.Map<unknown>).set('start', 2);
    b.getText('t').insert(0, 'abc');
    a.getText('t').insert(1, 'zz');
    b.getText('t').delete(0, 3);
    expect(live.store.pendingStructs).toBeNull();
    expect(live.getText('t').toString()).toBe(a.getText('t').toString());
  });
});
