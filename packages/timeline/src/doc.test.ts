import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createTimelineDoc, entityFields, getSchemaVersion, INIT_KEY, ROOT_NAMES } from './doc.ts';
import { docIndex } from './doc-index.ts';
import { InvalidCommandError } from './errors.ts';
import { snapshot } from './snapshot.ts';
import { fixture, forkDoc, syncDocs } from './testing/fixtures.ts';
import type { Fixture } from './testing/fixtures.ts';
import { toLegacyLayout } from './testing/legacy-layout.ts';
import { applyCommand } from './commands/apply.ts';
import { sequentialIds } from './ids.ts';
import { checkInvariants } from './invariants.ts';
import { createUserUndoManager } from './undo.ts';

/** Every entity kind, creation values off their defaults, and later edits in field keys. */
function rich(): Fixture & { ids: Record<string, string> } {
  const f = fixture({ fps: { num: 24000, den: 1001 } });
  const v = f.track('video', 'Main');
  const text = f.track('text');
  const au = f.track('audio');
  const film = f.asset('video', 100, { name: 'a.mp4', width: 1920, height: 1080, fps: { num: 24000, den: 1001 } });
  const music = f.asset('audio', 100);
  const c1 = f.videoClip(v, film, 0, 4, 10);
  const c2 = f.videoClip(v, film, 4, 4, 20);
  f.run({ type: 'updateClip', clipId: c2, speed: 1.5, opacity: 0.7, rotation: 12, fadeOut: 1 });
  f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'dipToBlack', duration: 1 });
  const title = (f.run({ type: 'addTextClip', trackId: text, text: 'Über 🎬 "quoted" \\ \n', start: 1, duration: 2, x: 0.25, style: { fontFamily: 'Noto Serif', background: { color: '#00000080', padding: 4 }, align: 'left' } }) as { clipId: string }).clipId;
  const solid = (f.run({ type: 'addColorClip', trackId: v, color: '#FF8800', start: 8, duration: 1 }) as { clipId: string }).clipId;
  f.videoClip(au, music, 0, 8, 3);
  f.run({ type: 'addMarker', time: 2, label: 'beat', color: '#00ff00' });
  f.run({ type: 'updateTrack', trackId: au, muted: true, name: 'Music' });
  return Object.assign(f, { ids: { v, text, au, film, music, c1, c2, title, solid } });
}

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
    // Default values are left out of init and read back as defaults; init is JSON text (TL4a).
    expect(clip.get(INIT_KEY)).toBeTypeOf('string');
    expect(JSON.parse(clip.get(INIT_KEY) as string)).toEqual({ trackId: t, kind: 'color', start: 1_000_000, duration: 2_000_000, color: '#ff0000' });
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

  it('[TL4a] a document whose init values are objects (written before TL4a) reads the same', () => {
    const f = rich();
    const legacy = toLegacyLayout(f.doc);
    const clip = legacy.getMap('clips').get(f.ids['title'] ?? '') as Y.Map<unknown>;
    expect(clip.get(INIT_KEY)).toMatchObject({ kind: 'text', x: 0.25, 'style.fontFamily': 'Noto Serif' });
    expect(snapshot(legacy)).toEqual(f.snap());
    // A fresh peer loading the encoded legacy document reads it the same too.
    expect(snapshot(forkDoc(legacy))).toEqual(f.snap());
  });

  it('[TL4a] init values that spell out every default read the same as leaving them out', () => {
    const f = rich();
    const explicit = toLegacyLayout(f.doc, { explicitDefaults: true });
    const c1 = entityFields(explicit.getMap('clips').get(f.ids['c1'] ?? '') as Y.Map<unknown>);
    expect(c1).toMatchObject({ speed: 1, volume: 1, fadeIn: 0, opacity: 1, x: 0.5, 'style.align': 'center' });
    expect(entityFields(explicit.getMap('tracks').get(f.ids['v'] ?? '') as Y.Map<unknown>)).toMatchObject({ muted: false, hidden: false, locked: false });
    expect(snapshot(explicit)).toEqual(f.snap());
  });

  it('[TL4a] commands on a document with object init values edit it like any other', () => {
    const f = rich();
    const legacy = toLegacyLayout(f.doc);
    const commands = [
      { type: 'moveClip', clipId: f.ids['solid'], start: 9 },
      { type: 'updateClip', clipId: f.ids['title'], x: 0.5, text: 'new', style: { align: 'right' } },
      { type: 'trimClip', clipId: f.ids['c2'], edge: 'end', to: 7 },
      { type: 'splitClip', clipId: f.ids['c1'], at: 2 },
    ] as const;
    const idsNew = sequentialIds('n');
    const idsLegacy = sequentialIds('n');
    for (const cmd of commands) {
      applyCommand(f.doc, cmd, f.origin, { ids: idsNew });
      applyCommand(legacy, cmd, f.origin, { ids: idsLegacy });
    }
    expect(snapshot(legacy)).toEqual(f.snap());
    expect(snapshot(legacy).clips.map((c) => c.id)).toContain('n1');
    expect(checkInvariants(snapshot(legacy))).toEqual([]);
  });

  it('[TL4a] [TL4] an edit back to the default value writes the key, so it wins over init', () => {
    const f = rich();
    const title = f.ids['title'] ?? '';
    const m = f.doc.getMap('clips').get(title) as Y.Map<unknown>;
    const init = JSON.parse(m.get(INIT_KEY) as string) as Record<string, unknown>;
    expect(init).toMatchObject({ x: 0.25, 'style.fontFamily': 'Noto Serif', 'style.align': 'left', 'style.boxPadding': 4 });
    // Fields at their default are absent: they read as the default.
    for (const key of ['y', 'opacity', 'fadeIn', 'style.fontSize', 'style.color', 'speed']) expect(init).not.toHaveProperty([key]);
    expect(f.clip(title).style).toMatchObject({ fontSize: 64, color: '#ffffff' });
    f.run({ type: 'updateClip', clipId: title, x: 0.5 });
    // Deleting the key instead would let init's 0.25 show through again.
    expect(m.get('x')).toBe(0.5);
    expect(f.clip(title).x).toBe(0.5);
    // Concurrently, from init's 0.25: one peer resets x to the default while the other sets
    // 0.75 and moves the clip. Both writes are keys, so last writer wins and the peers
    // agree; init's 0.25 never shows through.
    const g = rich();
    const t2 = g.ids['title'] ?? '';
    const peer = forkDoc(g.doc);
    applyCommand(peer, { type: 'updateClip', clipId: t2, x: 0.5 }, g.origin);
    g.run({ type: 'updateClip', clipId: t2, x: 0.75 });
    g.run({ type: 'moveClip', clipId: t2, start: 3 });
    syncDocs(g.doc, peer);
    expect(snapshot(peer)).toEqual(g.snap());
    expect(g.clip(t2).start).toBeCloseTo(3, 2);
    expect([0.5, 0.75]).toContain(g.clip(t2).x);
  });

  it('[TL4a] [TL8] an init that is not a JSON object reads as no fields (the entity is ignored)', () => {
    const f = rich();
    const clips = f.doc.getMap('clips');
    const before = f.snap().clips.length;
    f.doc.transact(() => {
      clips.set('broken1', new Y.Map<unknown>([[INIT_KEY, '{"trackId":']]));
      clips.set('broken2', new Y.Map<unknown>([[INIT_KEY, '[1,2,3]']]));
      clips.set('broken3', new Y.Map<unknown>([[INIT_KEY, 'null']]));
      clips.set('broken4', new Y.Map<unknown>([[INIT_KEY, 42]]));
    });
    expect(f.snap().clips.length).toBe(before);
    // Fields written under their own keys still complete an entity whose init is unreadable.
    f.doc.transact(() => {
      clips.set('patched', new Y.Map<unknown>([[INIT_KEY, '{oops'], ['trackId', f.ids['v']], ['kind', 'color'], ['start', 20_000_000], ['duration', 1_000_000]]));
    });
    expect(f.clip('patched')).toMatchObject({ kind: 'color', start: 20, duration: 1, color: '#000000' });
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
