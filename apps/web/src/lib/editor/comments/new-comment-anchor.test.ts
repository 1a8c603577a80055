import { describe, expect, it } from 'vitest';
import { applyCommands, createTimelineDoc, originFor, sequentialIds, snapshot } from '@cutline/timeline';
import { clipName } from '../timeline/clip-name.ts';
import { inOutRange, pinCandidate } from './new-comment-anchor.ts';

function timeline() {
  const doc = createTimelineDoc();
  applyCommands(
    doc,
    [
      { type: 'addTrack', kind: 'video' },
      { type: 'addTrack', kind: 'text' },
      { type: 'addColorClip', trackId: '$0.trackId', color: '#00ff00', start: 0, duration: 10 },
      { type: 'addTextClip', trackId: '$1.trackId', text: 'Title\nsecond line', start: 2, duration: 3 },
    ],
    originFor('user', 'u'),
    { ids: sequentialIds('x') },
  );
  return snapshot(doc);
}

describe('where a new comment goes', () => {
  it('reads the in–out range as the timeline draws it', () => {
    expect(inOutRange({ inPoint: null, outPoint: null, duration: 10 })).toBeNull();
    expect(inOutRange({ inPoint: 2, outPoint: null, duration: 10 })).toEqual({ start: 2, end: 10 });
    expect(inOutRange({ inPoint: 5, outPoint: 3, duration: 10 })).toEqual({ start: 3, end: 5 });
    expect(inOutRange({ inPoint: 4, outPoint: 4, duration: 10 })).toBeNull();
  });

  it('pins to the selected clip by default, else offers the topmost clip holding the range', () => {
    const snap = timeline();
    const colour = snap.clips.find((c) => c.kind === 'color');
    const text = snap.clips.find((c) => c.kind === 'text');
    if (!colour || !text) throw new Error('fixture');
    // The range is exactly the text clip: edges count as inside.
    expect(pinCandidate({ snapshot: snap, range: { start: 2, end: 5 }, selectedClipIds: [colour.id] })).toEqual({ clip: colour, byDefault: true });
    expect(pinCandidate({ snapshot: snap, range: { start: 2, end: 5 }, selectedClipIds: [] })).toEqual({ clip: text, byDefault: false });
    expect(pinCandidate({ snapshot: snap, range: { start: 4, end: 6 }, selectedClipIds: [text.id] })).toEqual({ clip: colour, byDefault: false });
    expect(pinCandidate({ snapshot: snap, range: { start: 9, end: 11 }, selectedClipIds: [] })).toBeNull();
    expect(clipName(text, snap)).toBe('Title');
    expect(clipName(colour, snap)).toBe('Colour');
  });
});
