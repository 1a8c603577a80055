import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { SchemaVersionError } from './errors.ts';
import { fpsFromFloat, migrate } from './migrations.ts';
import type { Migration } from './migrations.ts';
import { MIGRATION_ORIGIN } from './origin.ts';
import { snapshot } from './snapshot.ts';
import { syncDocs } from './testing/fixtures.ts';
import { checkInvariants } from './invariants.ts';

/** A document in the v1 prototype layout: seconds, float fps, integer track index. */
function v1Doc(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getMap('meta').set('schemaVersion', 1);
    const settings = doc.getMap('settings');
    settings.set('width', 1280);
    settings.set('height', 720);
    settings.set('fps', 29.97);
    const tracks = doc.getMap('tracks');
    tracks.set('top', new Y.Map<unknown>([['kind', 'video'], ['name', 'Top'], ['index', 1]]));
    tracks.set('bottom', new Y.Map<unknown>([['kind', 'video'], ['name', 'Bottom'], ['index', 0]]));
    doc.getMap('assets').set('a', new Y.Map<unknown>([['kind', 'video'], ['duration', 20.5], ['fps', 23.976], ['hasAudio', true]]));
    doc.getMap('clips').set(
      'c',
      new Y.Map<unknown>([
        ['trackId', 'top'],
        ['kind', 'video'],
        ['assetId', 'a'],
        ['start', 1.5],
        ['duration', 2.25],
        ['sourceIn', 3.1],
        ['fadeIn', 0.5],
      ]),
    );
    doc.getMap('markers').set('m', new Y.Map<unknown>([['time', 4.2], ['label', 'here']]));
  });
  return doc;
}

describe('migrations', () => {
  it('[TL2] migrates a v1 document to v2 in one transaction with the migration origin', () => {
    const doc = v1Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    expect(migrate(doc)).toEqual({ from: 1, to: 2, applied: ['1→2'] });
    expect(origins).toEqual([MIGRATION_ORIGIN]);
    const s = snapshot(doc);
    expect(s.settings).toMatchObject({ width: 1280, height: 720, fps: { num: 30000, den: 1001 } });
    expect(s.tracks.map((t) => t.id)).toEqual(['bottom', 'top']);
    expect(s.clips[0]).toMatchObject({ id: 'c', start: 1.5, duration: 2.25, sourceIn: 3.1, fadeIn: 0.5 });
    expect(s.assets[0]).toMatchObject({ duration: 20.5, fps: { num: 24000, den: 1001 } });
    expect(s.markers[0]).toMatchObject({ time: 4.2, label: 'here' });
    expect(checkInvariants(s)).toEqual([]);
    expect(migrate(doc)).toEqual({ from: 2, to: 2, applied: [] });
  });

  it('[TL2] two peers migrating concurrently converge', () => {
    const a = v1Doc();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    migrate(a);
    migrate(b);
    syncDocs(a, b);
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(snapshot(a).clips[0]?.start).toBe(1.5);
  });

  it('[TL2] refuses newer documents and gaps in the chain without writing', () => {
    const newer = new Y.Doc();
    newer.getMap('meta').set('schemaVersion', 3);
    expect(() => migrate(newer)).toThrow(SchemaVersionError);
    const doc = v1Doc();
    const before = Y.encodeStateAsUpdate(doc);
    const broken: Migration[] = [];
    expect(() => migrate(doc, broken)).toThrow(/no migration from schema version 1/);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('[TL2] maps float frame rates back to rationals', () => {
    expect(fpsFromFloat(23.976)).toEqual({ num: 24000, den: 1001 });
    expect(fpsFromFloat(29.97)).toEqual({ num: 30000, den: 1001 });
    expect(fpsFromFloat(59.94)).toEqual({ num: 60000, den: 1001 });
    expect(fpsFromFloat(25)).toEqual({ num: 25, den: 1 });
    expect(fpsFromFloat(30)).toEqual({ num: 30, den: 1 });
    expect(fpsFromFloat(12.5)).toEqual({ num: 12500, den: 1000 });
  });

  it('[TL2] leaves an uninitialised document alone', () => {
    const doc = new Y.Doc();
    expect(migrate(doc).applied).toEqual([]);
    expect(doc.getMap('meta').size).toBe(0);
  });
});
