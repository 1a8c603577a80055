import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidCommandError, TrackLockedError, UnknownIdError } from '../errors.ts';
import { docIndex } from '../doc-index.ts';
import { fixture, rejects } from '../testing/fixtures.ts';

function pair(sourceIn = 10, assetSeconds = 100) {
  const f = fixture({ fps: { num: 25, den: 1 } });
  const t = f.track();
  const a = f.asset('video', assetSeconds);
  const c1 = f.videoClip(t, a, 0, 4, sourceIn);
  const c2 = f.videoClip(t, a, 4, 4, sourceIn);
  return { f, t, a, c1, c2 };
}

const add = (from: string, to: string, duration = 1, kind: 'crossfade' | 'dipToBlack' | 'wipe' = 'crossfade') =>
  ({ type: 'addTransition', fromClipId: from, toClipId: to, kind, duration }) as const;

describe('addTransition', () => {
  it('[TL18] adds a transition between adjacent clips, centred on the cut', () => {
    const { f, c1, c2 } = pair();
    const r = f.run(add(c1, c2, 1.01)) as { transitionId: string };
    expect(f.snap().transitions).toEqual([{ id: r.transitionId, fromClipId: c1, toClipId: c2, kind: 'crossfade', duration: 1 }]);
  });

  it('[TL18] requires the clips to touch, on one track, in order', () => {
    const { f, t, a, c1, c2 } = pair();
    const other = f.track();
    const far = f.videoClip(t, a, 10, 2, 10);
    const below = f.videoClip(other, a, 8, 2, 10);
    for (const cmd of [add(c2, c1), add(c1, far), add(c2, below), add(c1, c1)]) {
      expect(rejects(f.doc, () => f.run(cmd))).toBeInstanceOf(ConflictError);
    }
  });

  it('[TL18] needs source handles: media before the incoming clip and after the outgoing one', () => {
    const noHead = pair(0);
    expect(rejects(noHead.f.doc, () => noHead.f.run(add(noHead.c1, noHead.c2)))).toBeInstanceOf(ConflictError);
    // c1 uses source 2..6 of a 6.4 s asset: 0.4 s after its end, enough for a 0.8 s transition.
    const f = fixture({ fps: { num: 25, den: 1 } });
    const t = f.track();
    const a = f.asset('video', 6.4);
    const c1 = f.videoClip(t, a, 0, 4, 2);
    const c2 = f.videoClip(t, a, 4, 4, 2);
    expect(rejects(f.doc, () => f.run(add(c1, c2, 1)))).toBeInstanceOf(ConflictError);
    f.run(add(c1, c2, 0.8));
  });

  it('[TL18] text and colour clips have unlimited handles', () => {
    const f = fixture();
    const t = f.track();
    const c1 = (f.run({ type: 'addColorClip', trackId: t, color: '#ff0000', start: 0, duration: 2 }) as { clipId: string }).clipId;
    const c2 = (f.run({ type: 'addTextClip', trackId: t, text: 'x', start: 2, duration: 2 }) as { clipId: string }).clipId;
    f.run(add(c1, c2, 2, 'wipe'));
    expect(f.snap().transitions).toHaveLength(1);
  });

  it('[TL18] may not be longer than either clip; wipes are not for audio', () => {
    const { f, c1, c2 } = pair();
    expect(rejects(f.doc, () => f.run(add(c1, c2, 4.5)))).toBeInstanceOf(ConflictError);
    const au = f.track('audio');
    const song = f.asset('audio', 100);
    const s1 = f.videoClip(au, song, 0, 2, 10);
    const s2 = f.videoClip(au, song, 2, 2, 10);
    expect(rejects(f.doc, () => f.run(add(s1, s2, 1, 'wipe')))).toBeInstanceOf(ConflictError);
    f.run(add(s1, s2, 1, 'dipToBlack'));
  });

  it('[TL19] one transition out of and one into each clip; both may use the whole clip', () => {
    const { f, t, a, c1, c2 } = pair();
    const c3 = f.videoClip(t, a, 8, 4, 10);
    f.run(add(c1, c2, 4));
    expect(rejects(f.doc, () => f.run(add(c1, c2, 1)))).toBeInstanceOf(ConflictError);
    // c2 gives 2 s after its start to the first and 2 s before its end to the second.
    f.run(add(c2, c3, 4));
    expect(f.snap().transitions).toHaveLength(2);
  });

  it('[TL22] the duration snaps to whole frames; under a frame is rejected', () => {
    const { f, c1, c2 } = pair();
    expect(rejects(f.doc, () => f.run(add(c1, c2, 0.01)))).toBeInstanceOf(InvalidCommandError);
  });

  it('[TL40] [TL11] rejects unknown clips and locked tracks', () => {
    const { f, t, c1, c2 } = pair();
    expect(rejects(f.doc, () => f.run(add(c1, 'ghost')))).toBeInstanceOf(UnknownIdError);
    f.run({ type: 'updateTrack', trackId: t, locked: true });
    expect(rejects(f.doc, () => f.run(add(c1, c2)))).toBeInstanceOf(TrackLockedError);
  });
});

describe('removeTransition', () => {
  it('[TL40] removes a transition; unknown ids and locked tracks are rejected', () => {
    const { f, t, c1, c2 } = pair();
    const id = (f.run(add(c1, c2)) as { transitionId: string }).transitionId;
    f.run({ type: 'updateTrack', trackId: t, locked: true });
    expect(rejects(f.doc, () => f.run({ type: 'removeTransition', transitionId: id }))).toBeInstanceOf(TrackLockedError);
    f.run({ type: 'updateTrack', trackId: t, locked: false });
    f.run({ type: 'removeTransition', transitionId: id });
    expect(docIndex(f.doc).count('transitions')).toBe(0);
    expect(rejects(f.doc, () => f.run({ type: 'removeTransition', transitionId: id }))).toBeInstanceOf(UnknownIdError);
  });
});

describe('edits keep transitions valid', () => {
  it('[TL19] trimming away the handle or the shared cut prunes the transition', () => {
    const { f, c1, c2 } = pair();
    f.run(add(c1, c2, 2));
    f.run({ type: 'trimClip', clipId: c2, edge: 'end', to: 7 });
    expect(f.snap().transitions).toHaveLength(1);
    // c2 is now 3 s; a 2 s transition still fits. Cutting it to 1.5 s does not.
    f.run({ type: 'trimClip', clipId: c2, edge: 'end', to: 5.5 });
    expect(f.snap().transitions).toHaveLength(0);
  });

  it('[TL19] changing the incoming clip’s source in-point can remove its handle', () => {
    const { f, c1, c2 } = pair(1);
    f.run(add(c1, c2, 2));
    f.run({ type: 'updateClip', clipId: c2, sourceIn: 0.5 });
    expect(f.snap().transitions).toHaveLength(0);
  });
});
