import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidCommandError, SchemaVersionError, TimelineError, UnknownIdError } from '../errors.ts';
import { createTimelineDoc } from '../doc.ts';
import { sequentialIds } from '../ids.ts';
import { LIMITS } from '../model.ts';
import { originFor } from '../origin.ts';
import type { TimelineOrigin } from '../origin.ts';
import { snapshot } from '../snapshot.ts';
import { fixture, rejects } from '../testing/fixtures.ts';
import { applyCommand, applyCommands } from './apply.ts';

const alice = originFor('user', 'alice');

describe('applyCommand', () => {
  it('[TL40] applies one command in one transaction tagged with the origin', () => {
    const doc = createTimelineDoc();
    const seen: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(tr.origin));
    const r = applyCommand(doc, { type: 'addTrack', kind: 'video' }, alice, { ids: sequentialIds('t') });
    expect(r).toEqual({ trackId: 't1' });
    expect(seen).toEqual([alice]);
  });

  it('[TL6] refuses a missing or untyped origin', () => {
    const doc = createTimelineDoc();
    expect(rejects(doc, () => applyCommand(doc, { type: 'addTrack', kind: 'video' }, { who: 'me' } as unknown as TimelineOrigin))).toBeInstanceOf(TypeError);
    expect(rejects(doc, () => applyCommand(doc, { type: 'addTrack', kind: 'video' }, null as unknown as TimelineOrigin))).toBeInstanceOf(TypeError);
  });

  it('[TL2] refuses documents that are not initialised or need a migration', () => {
    const empty = new Y.Doc();
    expect(rejects(empty, () => applyCommand(empty, { type: 'addTrack', kind: 'video' }, alice))).toBeInstanceOf(SchemaVersionError);
    const old = new Y.Doc();
    old.getMap('meta').set('schemaVersion', 1);
    const e = rejects(old, () => applyCommand(old, { type: 'addTrack', kind: 'video' }, alice));
    expect(e).toBeInstanceOf(SchemaVersionError);
    expect((e as SchemaVersionError).code).toBe('schema_version');
  });

  it('[TL43] references are only valid inside a batch', () => {
    const doc = createTimelineDoc();
    const e = rejects(doc, () => applyCommand(doc, { type: 'removeTrack', trackId: '$0.trackId' }, alice));
    expect(e).toBeInstanceOf(InvalidCommandError);
  });

  it('[TL40] works when nested inside a caller’s transaction', () => {
    const f = fixture();
    const t = f.track();
    f.doc.transact(() => {
      const c = f.run({ type: 'addColorClip', trackId: t, color: '#000000', start: 0, duration: 1 });
      // The second command sees the first although the transaction has not ended.
      expect(rejects(f.doc, () => f.run({ type: 'addColorClip', trackId: t, color: '#000000', start: 0.5, duration: 1 }))).toBeInstanceOf(ConflictError);
      expect(c).toHaveProperty('clipId');
    }, f.origin);
    expect(f.snap().clips).toHaveLength(1);
  });
});

describe('applyCommands', () => {
  it('[TL43] applies a batch in one transaction; later commands use earlier ids', () => {
    const doc = createTimelineDoc();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const results = applyCommands(
      doc,
      [
        { type: 'addTrack', kind: 'video' },
        { type: 'registerAsset', kind: 'video', duration: 30 },
        { type: 'addClip', trackId: '$0.trackId', assetId: '$1.assetId', start: 0, duration: 10 },
        { type: 'splitClip', clipId: '$2.clipId', at: 5 },
        { type: 'updateClip', clipId: '$3.clipIds.1', opacity: 0.5 },
        { type: 'addTransition', fromClipId: '$3.clipIds.0', toClipId: '$3.clipIds.1', kind: 'crossfade', duration: 1 },
      ],
      alice,
      { ids: sequentialIds('x') },
    );
    expect(transactions).toBe(1);
    expect(results).toEqual([{ trackId: 'x1' }, { assetId: 'x2' }, { clipId: 'x3' }, { clipIds: ['x3', 'x4'] }, {}, { transitionId: 'x5' }]);
    const s = snapshot(doc);
    expect(s.clips.map((c) => [c.id, c.start, c.duration, c.opacity])).toEqual([
      ['x3', 0, 5, 1],
      ['x4', 5, 5, 0.5],
    ]);
    expect(s.transitions).toHaveLength(1);
  });

  it('[TL43] is all or nothing: a failing command leaves the document untouched', () => {
    const f = fixture();
    const t = f.track();
    const e = rejects(f.doc, () =>
      f.runAll([
        { type: 'addColorClip', trackId: t, color: '#000000', start: 0, duration: 2 },
        { type: 'addMarker', time: 1 },
        { type: 'addColorClip', trackId: t, color: '#ffffff', start: 1, duration: 2 },
      ]),
    );
    expect(e).toBeInstanceOf(ConflictError);
    expect((e as TimelineError).commandIndex).toBe(2);
    expect(f.snap().clips).toHaveLength(0);
    expect(f.snap().markers).toHaveLength(0);
  });

  it('[TL43] validates each command against the state the earlier ones leave', () => {
    const f = fixture();
    const t = f.track();
    const e = rejects(f.doc, () =>
      f.runAll([
        { type: 'removeTrack', trackId: t },
        { type: 'addColorClip', trackId: t, color: '#000000', start: 0, duration: 2 },
      ]),
    );
    expect(e).toBeInstanceOf(UnknownIdError);
    expect((e as TimelineError).commandIndex).toBe(1);
  });

  it('[TL43] rejects bad references, malformed entries and oversized batches', () => {
    const f = fixture();
    f.track();
    const cases: unknown[][] = [
      [{ type: 'addTrack', kind: 'video' }, { type: 'removeTrack', trackId: '$5.trackId' }],
      [{ type: 'addTrack', kind: 'video' }, { type: 'removeTrack', trackId: '$0.clipId' }],
      [{ type: 'addTrack', kind: 'video' }, { type: 'removeTrack', trackId: '$1.trackId' }],
      [{ type: 'addTrack', kind: 'video' }, 42],
    ];
    for (const batch of cases) expect(rejects(f.doc, () => f.runAll(batch))).toBeInstanceOf(InvalidCommandError);
    const tooMany = Array.from({ length: LIMITS.batchCommands + 1 }, () => ({ type: 'addMarker', time: 0 }));
    expect(rejects(f.doc, () => f.runAll(tooMany))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(f.doc, () => applyCommands(f.doc, 'nope' as unknown as unknown[], alice))).toBeInstanceOf(InvalidCommandError);
  });

  it('[TL43] registerAsset ids are never read as references', () => {
    const f = fixture();
    expect(rejects(f.doc, () => f.runAll([{ type: 'registerAsset', kind: 'image', assetId: '$0.assetId' }]))).toBeInstanceOf(InvalidCommandError);
  });

  it('[TL43] an empty batch changes nothing and returns nothing', () => {
    const f = fixture();
    let updates = 0;
    f.doc.on('update', () => updates++);
    expect(f.runAll([])).toEqual([]);
    expect(updates).toBe(0);
  });
});
