import { describe, expect, it } from 'vitest';
import { applyCommands, createTimelineDoc, originFor, sequentialIds, snapshot } from '@cutline/timeline';
import { clipAtTime, isFree, maxTransitionDuration, nextAdjacent, trimBounds } from './edit-math.ts';

function timeline() {
  const doc = createTimelineDoc();
  applyCommands(
    doc,
    [
      { type: 'registerAsset', assetId: 'a1', kind: 'video', duration: 10, width: 1280, height: 720, fps: { num: 30, den: 1 }, hasAudio: false },
      { type: 'addTrack', kind: 'video' },
      { type: 'addClip', trackId: '$1.trackId', assetId: 'a1', start: 2, duration: 3, sourceIn: 1 },
      { type: 'addColorClip', trackId: '$1.trackId', color: '#00ff00', start: 8, duration: 2 },
      { type: 'addClip', trackId: '$1.trackId', assetId: 'a1', start: 10, duration: 2, sourceIn: 4 },
    ],
    originFor('user', 'u'),
    { ids: sequentialIds('x') },
  );
  return snapshot(doc);
}

describe('edit math', () => {
  it('[TL13][TL17] bounds a trim by the media and the neighbours', () => {
    const snap = timeline();
    const [first, colour] = snap.clips;
    if (!first || !colour) throw new Error('fixture');
    const b = trimBounds({ clip: first, snapshot: snap });
    // sourceIn 1 s at speed 1: the start may move back 1 s, to 1.
    expect(b.minStart).toBeCloseTo(1);
    expect(b.maxStart).toBeCloseTo(5 - 1 / 30);
    // The media ends at 10 s: 9 s of source left from sourceIn 1 → end ≤ 2 + 9 = 11, but the neighbour starts at 8.
    expect(b.maxEnd).toBeCloseTo(8);
    const c = trimBounds({ clip: colour, snapshot: snap });
    expect(c.minStart).toBeCloseTo(5);
    expect(c.maxEnd).toBeCloseTo(10);
  });

  it('finds free space, clips under a time and adjacent clips', () => {
    const snap = timeline();
    const trackId = snap.tracks[0]?.id ?? '';
    expect(isFree({ snapshot: snap, trackId, start: 5, end: 8, exclude: new Set() })).toBe(true);
    expect(isFree({ snapshot: snap, trackId, start: 4.9, end: 6, exclude: new Set() })).toBe(false);
    expect(clipAtTime(snap, trackId, 8)?.kind).toBe('color');
    expect(clipAtTime(snap, trackId, 7)).toBeUndefined();
    const colour = snap.clips[1];
    if (!colour) throw new Error('fixture');
    expect(nextAdjacent(snap, colour)?.start).toBe(10);
  });

  it('[TL18] limits a transition by the clips and their source handles', () => {
    const snap = timeline();
    const [, colour, last] = snap.clips;
    if (!colour || !last) throw new Error('fixture');
    // Incoming video has sourceIn 4 → up to 8 s of handle; clips are 2 s long.
    expect(maxTransitionDuration({ from: colour, to: last, snapshot: snap })).toBeCloseTo(2);
  });
});
