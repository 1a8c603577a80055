import { describe, expect, it } from 'vitest';
import { InvalidCommandError, LimitExceededError, TrackLockedError, UnknownIdError } from '../errors.ts';
import { LIMITS } from '../model.ts';
import { fixture, rejects } from '../testing/fixtures.ts';
import { docIndex } from '../doc-index.ts';

describe('track commands', () => {
  it('[TL3] addTrack appends on top by default and names tracks per kind', () => {
    const f = fixture();
    const v1 = f.track('video');
    const a1 = f.track('audio');
    const v2 = f.track('video');
    expect(f.snap().tracks.map((t) => [t.id, t.name])).toEqual([
      [v1, 'Video 1'],
      [a1, 'Audio 1'],
      [v2, 'Video 2'],
    ]);
  });

  it('[TL3] addTrack at an index inserts there (0 = bottom)', () => {
    const f = fixture();
    const a = f.track('video', 'A');
    const b = f.track('video', 'B');
    const c = (f.run({ type: 'addTrack', kind: 'text', name: 'C', index: 1 }) as { trackId: string }).trackId;
    const d = (f.run({ type: 'addTrack', kind: 'audio', name: 'D', index: 0 }) as { trackId: string }).trackId;
    expect(f.snap().tracks.map((t) => t.id)).toEqual([d, a, c, b]);
  });

  it('[TL3] addTrack rejects an index past the end', () => {
    const f = fixture();
    f.track();
    const e = rejects(f.doc, () => f.run({ type: 'addTrack', kind: 'video', index: 2 }));
    expect(e).toBeInstanceOf(InvalidCommandError);
    expect((e as InvalidCommandError).path).toBe('index');
  });

  it(`[TL42] addTrack stops at ${LIMITS.tracks} tracks`, () => {
    const f = fixture();
    f.runAll(Array.from({ length: LIMITS.tracks }, () => ({ type: 'addTrack', kind: 'audio' })));
    expect(f.snap().tracks).toHaveLength(LIMITS.tracks);
    expect(rejects(f.doc, () => f.track())).toBeInstanceOf(LimitExceededError);
  });

  it('[TL40] updateTrack renames, mutes, hides and locks', () => {
    const f = fixture();
    const t = f.track();
    f.run({ type: 'updateTrack', trackId: t, name: 'B-roll', muted: true, hidden: true, locked: true });
    expect(f.snap().tracks[0]).toEqual({ id: t, kind: 'video', name: 'B-roll', muted: true, hidden: true, locked: true });
    f.run({ type: 'updateTrack', trackId: t, locked: false });
    expect(f.snap().tracks[0]?.locked).toBe(false);
  });

  it('[TL3] updateTrack moves a track to an index among the others', () => {
    const f = fixture();
    const [a, b, c] = [f.track(), f.track(), f.track()];
    f.run({ type: 'updateTrack', trackId: a, index: 2 });
    expect(f.snap().tracks.map((t) => t.id)).toEqual([b, c, a]);
    f.run({ type: 'updateTrack', trackId: a, index: 0 });
    expect(f.snap().tracks.map((t) => t.id)).toEqual([a, b, c]);
    f.run({ type: 'updateTrack', trackId: c, index: 1 });
    expect(f.snap().tracks.map((t) => t.id)).toEqual([a, c, b]);
  });

  it('[TL3] updateTrack to its current index writes nothing', () => {
    const f = fixture();
    const a = f.track();
    f.track();
    const before = docIndex(f.doc).get('tracks', a)?.order;
    f.run({ type: 'updateTrack', trackId: a, index: 0, name: 'same place' });
    expect(docIndex(f.doc).get('tracks', a)?.order).toBe(before);
  });

  it('[TL40] updateTrack rejects unknown ids and bad indexes without changing anything', () => {
    const f = fixture();
    const t = f.track();
    expect(rejects(f.doc, () => f.run({ type: 'updateTrack', trackId: 'nope', muted: true }))).toBeInstanceOf(UnknownIdError);
    expect(rejects(f.doc, () => f.run({ type: 'updateTrack', trackId: t, index: 1 }))).toBeInstanceOf(InvalidCommandError);
  });

  it('[TL40] removeTrack removes its clips and their transitions', () => {
    const f = fixture();
    const keep = f.track();
    const t = f.track();
    const asset = f.asset('video', 60);
    const kept = f.videoClip(keep, asset, 0, 2);
    const c1 = f.videoClip(t, asset, 0, 2, 5);
    const c2 = f.videoClip(t, asset, 2, 2, 5);
    f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'crossfade', duration: 1 });
    f.run({ type: 'removeTrack', trackId: t });
    const s = f.snap();
    expect(s.tracks.map((x) => x.id)).toEqual([keep]);
    expect(s.clips.map((c) => c.id)).toEqual([kept]);
    expect(docIndex(f.doc).count('clips')).toBe(1);
    expect(docIndex(f.doc).count('transitions')).toBe(0);
  });

  it('[TL11] removeTrack refuses a locked track; unknown ids are rejected', () => {
    const f = fixture();
    const t = f.track();
    f.run({ type: 'updateTrack', trackId: t, locked: true });
    expect(rejects(f.doc, () => f.run({ type: 'removeTrack', trackId: t }))).toBeInstanceOf(TrackLockedError);
    expect(rejects(f.doc, () => f.run({ type: 'removeTrack', trackId: 'ghost' }))).toBeInstanceOf(UnknownIdError);
  });
});
