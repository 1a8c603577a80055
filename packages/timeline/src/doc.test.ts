import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createTimelineDoc, entityFields, getSchemaVersion, INIT_KEY, ROOT_NAMES } from './doc.ts';
import { docIndex } from './doc-index.ts';
import { InvalidCommandError } from './errors.ts';
import { snapshot } from './snapshot.ts';
import { fixture } from './testing/fixtures.ts';
import { createUserUndoManager } from './undo.ts';

describe('document layout', () => {
  it('[TL1] a new document has the schema version, settings and empty entity maps', () => {
    const doc = createTimelineDoc({ settings: { width: 1280, height: 720 } });
    expect(getSchemaVersion(doc)).toBe(2);
    expect(doc.getMap('settings').toJSON()).toEqual({ width: 1280, height: 720, fps: { num: 30, den: 1 }, background: '#000000', sampleRate: 48000 });
    expect([...ROOT_NAMES]).toEqual(['meta', 'settings', 'tracks', 'clips', 'transitions', 'markers', 'assets']);
    for (const name of ROOT_NAMES.slice(2)) expect(doc.getMap(name).size).toBe(0);
  });

  it('[TL1] [TL14] settings given in code are checked like setSettings', () => {
    expect(() => createTimelineDoc({ settings: { width: 1281 } })).toThrow(/settings.width/);
    expect(() => createTimelineDoc({ settings: { fps: { num: 1, den: 10 } } })).toThrow(/settings.fps/);
    expect(() => createTimelineDoc({ settings: { background: 'red' } })).toThrow(InvalidCommandError);
  });

  it('[TL1] [TL4] entities are nested maps keyed by id; creation values sit in init, edits in field keys', () => {
    const f = fixture();
    const t = f.track();
    const c = (f.run({ type: 'addColorClip', trackId: t, color: '#ff0000', start: 1, duration: 2 }) as { clipId: string }).clipId;
    const m = f.doc.getMap('clips').get(c);
    expect(m).toBeInstanceOf(Y.Map);
    const clip = m as Y.Map<unknown>;
    expect([...clip.keys()]).toEqual([INIT_KEY]);
    // Default values are left out of init and read back as defaults.
    expect(clip.get(INIT_KEY)).toEqual({ trackId: t, kind: 'color', start: 1_000_000, duration: 2_000_000, color: '#ff0000' });
    f.run({ type: 'moveClip', clipId: c, start: 3 });
    expect(clip.get('start')).toBe(3_000_000);
    expect(entityFields(clip)['start']).toBe(3_000_000);
    expect(entityFields(clip)['duration']).toBe(2_000_000);
  });

  it('[TL4] undoing an edit deletes its key and the init value shows through', () => {
    const f = fixture();
    const t = f.track();
    const c = (f.run({ type: 'addColorClip', trackId: t, color: '#ff0000', start: 1, duration: 2 }) as { clipId: string }).clipId;
    const undo = createUserUndoManager({ doc: f.doc, userId: 'alice' });
    f.run({ type: 'moveClip', clipId: c, start: 5 });
    expect(f.clip(c).start).toBe(5);
    undo.undo();
    expect((f.doc.getMap('clips').get(c) as Y.Map<unknown>).has('start')).toBe(false);
    expect(f.clip(c).start).toBe(1);
  });

  it('[TL8] the live index matches a fresh scan after remote updates', () => {
    const f = fixture();
    const t = f.track();
    f.run({ type: 'addColorClip', trackId: t, color: '#ff0000', start: 1, duration: 2 });
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(f.doc));
    docIndex(other);
    Y.applyUpdate(other, Y.encodeStateAsUpdate(f.doc));
    f.run({ type: 'addColorClip', trackId: t, color: '#00ff00', start: 5, duration: 2 });
    Y.applyUpdate(other, Y.encodeStateAsUpdate(f.doc, Y.encodeStateVector(other)));
    expect(snapshot(other)).toEqual(f.snap());
  });
});
