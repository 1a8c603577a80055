import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applyCommand } from './commands/apply.ts';
import { SchemaVersionError, UnknownIdError } from './errors.ts';
import { checkInvariants } from './invariants.ts';
import { DEFAULT_SETTINGS } from './model.ts';
import { originFor } from './origin.ts';
import { SNAPSHOT_SCHEMA } from './snapshot-schema.ts';
import { snapshot } from './snapshot.ts';
import { fixture, forkDoc, rejects, syncDocs } from './testing/fixtures.ts';
import { jsonSchemaAccepts } from './testing/json-schema.ts';
import { sequentialIds } from './ids.ts';

const bob = originFor('user', 'bob');

/** Alice's fixture plus Bob's peer doc forked from it. */
function twoPeers() {
  const f = fixture({ fps: { num: 25, den: 1 } });
  const t = f.track();
  const a = f.asset('video', 100);
  const c1 = f.videoClip(t, a, 0, 2, 10);
  const c2 = f.videoClip(t, a, 5, 2, 10);
  const peer = forkDoc(f.doc);
  const ids = sequentialIds('bob');
  const runBob = (cmd: Parameters<typeof applyCommand>[1]) => applyCommand(peer, cmd, bob, { ids });
  return { f, t, a, c1, c2, peer, runBob };
}

describe('snapshot shape', () => {
  it('[TL9] is versioned, frozen, valid against the schema, grouped by track and sorted by start', () => {
    const f = fixture();
    const top = f.track('video');
    const bottom = (f.run({ type: 'addTrack', kind: 'video', index: 0 }) as { trackId: string }).trackId;
    const a = f.asset('video', 100);
    const late = f.videoClip(top, a, 5, 1);
    const early = f.videoClip(top, a, 1, 1);
    const under = f.videoClip(bottom, a, 3, 4);
    const s = f.snap();
    expect(s.version).toBe(2);
    expect(s.clips.map((c) => c.id)).toEqual([under, early, late]);
    expect(s.duration).toBe(7);
    expect(Object.isFrozen(s) && Object.isFrozen(s.clips) && Object.isFrozen(s.clips[0]) && Object.isFrozen(s.settings.fps)).toBe(true);
    expect(jsonSchemaAccepts(SNAPSHOT_SCHEMA, JSON.parse(JSON.stringify(s)))).toBe(true);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('[TL9] returns the same object until the document changes', () => {
    const f = fixture();
    const s1 = f.snap();
    expect(f.snap()).toBe(s1);
    f.track();
    const s2 = f.snap();
    expect(s2).not.toBe(s1);
    expect(f.snap()).toBe(s2);
  });

  it('[TL9] an empty, uninitialised document reads as an empty timeline', () => {
    const s = snapshot(new Y.Doc());
    expect(s).toMatchObject({ version: 2, duration: 0, tracks: [], clips: [], settings: { ...DEFAULT_SETTINGS, fps: { num: 30, den: 1 } } });
  });

  it('[TL2] refuses to read a document that needs a migration', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', 1);
    expect(() => snapshot(doc)).toThrow(SchemaVersionError);
  });
});

describe('merge resolution', () => {
  it('[TL4] concurrent edits to different fields of one clip both survive', () => {
    const { f, c1, peer, runBob } = twoPeers();
    f.run({ type: 'updateClip', clipId: c1, opacity: 0.5 });
    runBob({ type: 'updateClip', clipId: c1, volume: 2 });
    syncDocs(f.doc, peer);
    expect(snapshot(peer)).toEqual(f.snap());
    expect(f.clip(c1)).toMatchObject({ opacity: 0.5, volume: 2 });
  });

  it('[TL17] two peers moving clips into one spot: the earlier clip is cut at the later start', () => {
    const { f, c1, c2, peer, runBob } = twoPeers();
    f.run({ type: 'moveClip', clipId: c1, start: 3 });
    runBob({ type: 'moveClip', clipId: c2, start: 4 });
    syncDocs(f.doc, peer);
    const s = f.snap();
    expect(snapshot(peer)).toEqual(s);
    expect(s.clips.map((c) => [c.id, c.start, c.duration])).toEqual([
      [c1, 3, 1],
      [c2, 4, 2],
    ]);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('[TL17] clips that start together: the one with the smaller id is hidden', () => {
    const { f, c1, c2, peer, runBob } = twoPeers();
    f.run({ type: 'moveClip', clipId: c1, start: 3 });
    runBob({ type: 'moveClip', clipId: c2, start: 3 });
    syncDocs(f.doc, peer);
    expect(f.snap().clips.map((c) => c.id)).toEqual([c1 < c2 ? c2 : c1]);
    expect(snapshot(peer)).toEqual(f.snap());
  });

  it('[TL17] a merge-made overlap can be fixed with ordinary commands', () => {
    const { f, c1, c2, peer, runBob } = twoPeers();
    f.run({ type: 'moveClip', clipId: c1, start: 3 });
    runBob({ type: 'moveClip', clipId: c2, start: 4 });
    syncDocs(f.doc, peer);
    f.run({ type: 'trimClip', clipId: c1, edge: 'end', to: 4 });
    expect(f.clip(c1).duration).toBe(1);
  });

  it('[TL16] a clip added to a track another peer removed is not shown, and commands cannot see it', () => {
    const { f, t, a, peer, runBob } = twoPeers();
    const orphan = (runBob({ type: 'addClip', trackId: t, assetId: a, start: 10, duration: 1 }) as { clipId: string }).clipId;
    f.run({ type: 'removeTrack', trackId: t });
    syncDocs(f.doc, peer);
    const s = f.snap();
    expect(s.clips).toEqual([]);
    expect(snapshot(peer)).toEqual(s);
    expect(checkInvariants(s)).toEqual([]);
    expect(rejects(f.doc, () => f.run({ type: 'updateClip', clipId: orphan, opacity: 0 }))).toBeInstanceOf(UnknownIdError);
  });

  it('[TL18] a transition whose clip vanished is ignored', () => {
    const { f, t, a, c1, peer, runBob } = twoPeers();
    const c3 = f.videoClip(t, a, 2, 2, 10);
    syncDocs(f.doc, peer);
    runBob({ type: 'addTransition', fromClipId: c1, toClipId: c3, kind: 'crossfade', duration: 1 });
    f.run({ type: 'removeClip', clipId: c3 });
    syncDocs(f.doc, peer);
    expect(f.snap().transitions).toEqual([]);
    expect(snapshot(peer)).toEqual(f.snap());
  });

  it('[TL19] two concurrent transitions on one cut: the smaller id wins', () => {
    const { f, t, a, c1, peer, runBob } = twoPeers();
    const c3 = f.videoClip(t, a, 2, 2, 10);
    syncDocs(f.doc, peer);
    const mine = (f.run({ type: 'addTransition', fromClipId: c1, toClipId: c3, kind: 'crossfade', duration: 1 }) as { transitionId: string }).transitionId;
    const theirs = (runBob({ type: 'addTransition', fromClipId: c1, toClipId: c3, kind: 'wipe', duration: 0.5 }) as { transitionId: string }).transitionId;
    syncDocs(f.doc, peer);
    expect(f.snap().transitions.map((x) => x.id)).toEqual([mine < theirs ? mine : theirs]);
    expect(snapshot(peer)).toEqual(f.snap());
  });

  it('[TL15] a concurrent fade and trim leave a fade clamped to the clip', () => {
    const { f, c1, peer, runBob } = twoPeers();
    f.run({ type: 'updateClip', clipId: c1, fadeIn: 2 });
    runBob({ type: 'trimClip', clipId: c1, edge: 'end', to: 1 });
    syncDocs(f.doc, peer);
    expect(f.clip(c1)).toMatchObject({ duration: 1, fadeIn: 1 });
    expect(checkInvariants(f.snap())).toEqual([]);
  });
});

describe('defensive reads', () => {
  it('[TL8] values a bad peer wrote are clamped or ignored', () => {
    const f = fixture();
    const t = f.track();
    const c = (f.run({ type: 'addTextClip', trackId: t, text: 'x', start: 0, duration: 1 }) as { clipId: string }).clipId;
    const clips = f.doc.getMap('clips');
    const m = clips.get(c) as Y.Map<unknown>;
    f.doc.transact(() => {
      m.set('opacity', 7);
      m.set('rotation', Number.NaN);
      m.set('style.fontFamily', 'Comic Sans');
      m.set('style.color', 'red');
      m.set('text', 42);
      clips.set('junk1', new Y.Map<unknown>([['kind', 'bogus']]));
      clips.set('junk2', 'not a map');
      clips.set('junk3', new Y.Map<unknown>([['init', { trackId: t, kind: 'color', start: -5, duration: 1 }]]));
      f.doc.getMap('settings').set('fps', { num: 0, den: 1 });
    });
    const s = f.snap();
    expect(s.clips).toHaveLength(1);
    expect(s.clips[0]).toMatchObject({ opacity: 1, rotation: 0, text: '', style: { fontFamily: 'Inter', color: '#ffffff' } });
    expect(s.settings.fps).toEqual({ num: 30, den: 1 });
    expect(checkInvariants(s)).toEqual([]);
  });
});
