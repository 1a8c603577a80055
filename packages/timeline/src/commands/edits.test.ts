import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidCommandError, LimitExceededError, TrackLockedError, UnknownIdError } from '../errors.ts';
import { docIndex } from '../doc-index.ts';
import { LIMITS } from '../model.ts';
import { loadSnapshot } from '../load-snapshot.ts';
import { originFor } from '../origin.ts';
import { colorClipSnapshot, fixture, rejects } from '../testing/fixtures.ts';
import { applyCommand } from './apply.ts';

function setup() {
  const f = fixture({ fps: { num: 25, den: 1 } });
  const t = f.track();
  const a = f.asset('video', 100);
  return { f, t, a };
}

describe('moveClip', () => {
  it('[TL40] moves a clip in time and to another track of a fitting kind', () => {
    const { f, t, a } = setup();
    const t2 = f.track();
    const c = f.videoClip(t, a, 0, 2, 10);
    f.run({ type: 'moveClip', clipId: c, start: 5.01 });
    expect(f.clip(c)).toMatchObject({ trackId: t, start: 5, duration: 2, sourceIn: 10 });
    f.run({ type: 'moveClip', clipId: c, start: 1, trackId: t2 });
    expect(f.clip(c)).toMatchObject({ trackId: t2, start: 1 });
  });

  it('[TL17] refuses to overlap on the target track', () => {
    const { f, t, a } = setup();
    const c1 = f.videoClip(t, a, 0, 2);
    f.videoClip(t, a, 4, 2);
    expect(rejects(f.doc, () => f.run({ type: 'moveClip', clipId: c1, start: 3 }))).toBeInstanceOf(ConflictError);
    f.run({ type: 'moveClip', clipId: c1, start: 2 });
    f.run({ type: 'moveClip', clipId: c1, start: 1.6 });
    expect(f.clip(c1).start).toBe(1.6);
  });

  it('[TL12] [TL11] refuses the wrong track kind, unknown ids and locked tracks', () => {
    const { f, t, a } = setup();
    const au = f.track('audio');
    const locked = f.track();
    f.run({ type: 'updateTrack', trackId: locked, locked: true });
    const c = f.videoClip(t, a, 0, 2);
    expect(rejects(f.doc, () => f.run({ type: 'moveClip', clipId: c, start: 0, trackId: au }))).toBeInstanceOf(ConflictError);
    expect(rejects(f.doc, () => f.run({ type: 'moveClip', clipId: c, start: 0, trackId: 'ghost' }))).toBeInstanceOf(UnknownIdError);
    expect(rejects(f.doc, () => f.run({ type: 'moveClip', clipId: 'ghost', start: 0 }))).toBeInstanceOf(UnknownIdError);
    expect(rejects(f.doc, () => f.run({ type: 'moveClip', clipId: c, start: 0, trackId: locked }))).toBeInstanceOf(TrackLockedError);
    f.run({ type: 'updateTrack', trackId: t, locked: true });
    expect(rejects(f.doc, () => f.run({ type: 'moveClip', clipId: c, start: 9 }))).toBeInstanceOf(TrackLockedError);
  });

  it('[TL21] refuses to move past 24 h', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 0, 2);
    expect(rejects(f.doc, () => f.run({ type: 'moveClip', clipId: c, start: 86_399 }))).toBeInstanceOf(InvalidCommandError);
  });

  it('[TL19] moving a clip away removes its transitions', () => {
    const { f, t, a } = setup();
    const c1 = f.videoClip(t, a, 0, 2, 10);
    const c2 = f.videoClip(t, a, 2, 2, 10);
    f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'crossfade', duration: 1 });
    f.run({ type: 'moveClip', clipId: c2, start: 3 });
    expect(f.snap().transitions).toHaveLength(0);
    expect(docIndex(f.doc).count('transitions')).toBe(0);
  });
});

describe('trimClip', () => {
  it('[TL15] trimming the start moves the source in-point with it', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 2, 4, 10);
    f.run({ type: 'trimClip', clipId: c, edge: 'start', to: 3 });
    expect(f.clip(c)).toMatchObject({ start: 3, duration: 3, sourceIn: 11 });
    f.run({ type: 'trimClip', clipId: c, edge: 'start', to: 1 });
    expect(f.clip(c)).toMatchObject({ start: 1, duration: 5, sourceIn: 9 });
  });

  it('[TL15] trimming the start of a fast clip moves the in-point by elapsed × speed', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 0, 4, 10);
    f.run({ type: 'updateClip', clipId: c, speed: 2 });
    f.run({ type: 'trimClip', clipId: c, edge: 'start', to: 1 });
    expect(f.clip(c)).toMatchObject({ start: 1, duration: 3, sourceIn: 12 });
  });

  it('[TL15] trimming the end changes only the duration', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 2, 4, 10);
    f.run({ type: 'trimClip', clipId: c, edge: 'end', to: 3 });
    expect(f.clip(c)).toMatchObject({ start: 2, duration: 1, sourceIn: 10 });
  });

  it('[TL15] a trim shrinks fades that no longer fit', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 0, 4, 10);
    f.run({ type: 'updateClip', clipId: c, fadeIn: 1, fadeOut: 2 });
    f.run({ type: 'trimClip', clipId: c, edge: 'end', to: 2 });
    expect(f.clip(c)).toMatchObject({ duration: 2, fadeIn: 1, fadeOut: 1 });
  });

  it('[TL40] rejects inverted edges, missing media and overlaps', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 2, 4, 1);
    f.videoClip(t, a, 7, 1);
    expect(rejects(f.doc, () => f.run({ type: 'trimClip', clipId: c, edge: 'start', to: 6 }))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(f.doc, () => f.run({ type: 'trimClip', clipId: c, edge: 'end', to: 2 }))).toBeInstanceOf(InvalidCommandError);
    // Only 1 s of media before the in-point.
    expect(rejects(f.doc, () => f.run({ type: 'trimClip', clipId: c, edge: 'start', to: 0.5 }))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(f.doc, () => f.run({ type: 'trimClip', clipId: c, edge: 'end', to: 7.5 }))).toBeInstanceOf(ConflictError);
    const end = f.videoClip(t, a, 50, 1, 98);
    f.run({ type: 'trimClip', clipId: end, edge: 'end', to: 52 });
    expect(rejects(f.doc, () => f.run({ type: 'trimClip', clipId: end, edge: 'end', to: 53 }))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(f.doc, () => f.run({ type: 'trimClip', clipId: 'ghost', edge: 'end', to: 52 }))).toBeInstanceOf(UnknownIdError);
  });

  it('[TL15] text and colour clips trim freely at the start', () => {
    const { f, t } = setup();
    const c = (f.run({ type: 'addColorClip', trackId: t, color: '#ff0000', start: 5, duration: 1 }) as { clipId: string }).clipId;
    f.run({ type: 'trimClip', clipId: c, edge: 'start', to: 0 });
    expect(f.clip(c)).toMatchObject({ start: 0, duration: 6, sourceIn: 0 });
  });

  it('[TL11] refuses clips on locked tracks', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 2, 4, 1);
    f.run({ type: 'updateTrack', trackId: t, locked: true });
    expect(rejects(f.doc, () => f.run({ type: 'trimClip', clipId: c, edge: 'end', to: 3 }))).toBeInstanceOf(TrackLockedError);
  });
});

describe('splitClip', () => {
  it('[TL15] splits into two clips; the left keeps the id, the right continues the media', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 2, 4, 10);
    f.run({ type: 'updateClip', clipId: c, fadeIn: 1, fadeOut: 1, opacity: 0.5 });
    const r = f.run({ type: 'splitClip', clipId: c, at: 3 }) as { clipIds: [string, string] };
    expect(r.clipIds[0]).toBe(c);
    const right = r.clipIds[1];
    expect(f.clip(c)).toMatchObject({ start: 2, duration: 1, sourceIn: 10, fadeIn: 1, fadeOut: 0, opacity: 0.5 });
    expect(f.clip(right)).toMatchObject({ start: 3, duration: 3, sourceIn: 11, fadeIn: 0, fadeOut: 1, opacity: 0.5, trackId: t });
  });

  it('[TL19] the outgoing transition moves to the right half', () => {
    const { f, t, a } = setup();
    const c1 = f.videoClip(t, a, 0, 4, 10);
    const c2 = f.videoClip(t, a, 4, 4, 10);
    const tr = (f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'crossfade', duration: 1 }) as { transitionId: string }).transitionId;
    const [, right] = (f.run({ type: 'splitClip', clipId: c1, at: 2 }) as { clipIds: [string, string] }).clipIds;
    expect(f.snap().transitions).toEqual([{ id: tr, fromClipId: right, toClipId: c2, kind: 'crossfade', duration: 1 }]);
  });

  it('[TL15] rejects cuts at or outside the edges (after snapping)', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 2, 4, 10);
    for (const at of [2, 6, 1, 7, 2.01]) {
      expect(rejects(f.doc, () => f.run({ type: 'splitClip', clipId: c, at }))).toBeInstanceOf(InvalidCommandError);
    }
    expect(rejects(f.doc, () => f.run({ type: 'splitClip', clipId: 'ghost', at: 3 }))).toBeInstanceOf(UnknownIdError);
  });

  it('[TL42] counts the new half against the clip limit', () => {
    const doc = loadSnapshot(colorClipSnapshot(LIMITS.clips));
    const origin = originFor('user', 'u');
    const e = rejects(doc, () => applyCommand(doc, { type: 'splitClip', clipId: 'c0', at: 0.5 }, origin));
    expect(e).toBeInstanceOf(LimitExceededError);
    applyCommand(doc, { type: 'removeClip', clipId: 'c1' }, origin);
    applyCommand(doc, { type: 'splitClip', clipId: 'c0', at: 0.5 }, origin);
  });
});

describe('removeClip and rippleDelete', () => {
  it('[TL40] removeClip leaves a gap and drops the clip’s transitions', () => {
    const { f, t, a } = setup();
    const c1 = f.videoClip(t, a, 0, 2, 10);
    const c2 = f.videoClip(t, a, 2, 2, 10);
    f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'crossfade', duration: 1 });
    f.run({ type: 'removeClip', clipId: c1 });
    expect(f.snap().clips.map((c) => [c.id, c.start])).toEqual([[c2, 2]]);
    expect(docIndex(f.doc).count('transitions')).toBe(0);
    expect(rejects(f.doc, () => f.run({ type: 'removeClip', clipId: c1 }))).toBeInstanceOf(UnknownIdError);
  });

  it('[TL15] rippleDelete pulls later clips on the same track left; other tracks stay', () => {
    const { f, t, a } = setup();
    const other = f.track();
    const c1 = f.videoClip(t, a, 0, 2, 10);
    const c2 = f.videoClip(t, a, 2, 3, 10);
    const c3 = f.videoClip(t, a, 6, 1, 10);
    const c4 = f.videoClip(t, a, 8, 1, 10);
    const o = f.videoClip(other, a, 5, 1, 10);
    f.run({ type: 'moveClip', clipId: c4, start: 7 });
    f.run({ type: 'addTransition', fromClipId: c3, toClipId: c4, kind: 'dipToBlack', duration: 0.4 });
    f.run({ type: 'rippleDelete', clipId: c2 });
    expect(f.snap().clips.map((c) => [c.id, c.start])).toEqual([
      [c1, 0],
      [c3, 3],
      [c4, 4],
      [o, 5],
    ]);
    expect(f.snap().transitions.map((x) => [x.fromClipId, x.toClipId])).toEqual([[c3, c4]]);
  });

  it('[TL11] removal refuses locked tracks', () => {
    const { f, t, a } = setup();
    const c = f.videoClip(t, a, 0, 2, 10);
    f.run({ type: 'updateTrack', trackId: t, locked: true });
    expect(rejects(f.doc, () => f.run({ type: 'removeClip', clipId: c }))).toBeInstanceOf(TrackLockedError);
    expect(rejects(f.doc, () => f.run({ type: 'rippleDelete', clipId: c }))).toBeInstanceOf(TrackLockedError);
    expect(rejects(f.doc, () => f.run({ type: 'rippleDelete', clipId: 'ghost' }))).toBeInstanceOf(UnknownIdError);
  });
});
