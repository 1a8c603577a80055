import { describe, expect, it } from 'vitest';
import { applyCommands, audioPlan, audioSegmentGain, createTimelineDoc, originFor, sequentialIds, snapshot } from '@cutline/timeline';
import { gainAtPoints, gainAutomation } from './gain-automation.ts';

function plan() {
  const doc = createTimelineDoc();
  applyCommands(
    doc,
    [
      { type: 'registerAsset', assetId: 'a', kind: 'audio', duration: 20 },
      { type: 'addTrack', kind: 'audio' },
      { type: 'addClip', trackId: '$1.trackId', assetId: 'a', start: 0, duration: 4, sourceIn: 0 },
      { type: 'addClip', trackId: '$1.trackId', assetId: 'a', start: 4, duration: 4, sourceIn: 8 },
      { type: 'updateClip', clipId: '$2.clipId', fadeIn: 1, volume: 0.8 },
      { type: 'updateClip', clipId: '$3.clipId', fadeOut: 3, volume: 1.5 },
      { type: 'addTransition', fromClipId: '$2.clipId', toClipId: '$3.clipId', kind: 'crossfade', duration: 2 },
    ],
    originFor('user', 'u'),
    { ids: sequentialIds('g') },
  );
  return audioPlan(snapshot(doc));
}

describe('gain automation', () => {
  it('[TL35] follows audioSegmentGain through fades and transition ramps', () => {
    for (const segment of plan()) {
      const points = gainAutomation({ segment, from: 0, to: 100 });
      expect(points[0]?.time).toBe(segment.start);
      for (let t = segment.start; t < segment.end; t += 0.013) {
        expect(Math.abs(gainAtPoints(points, t) - audioSegmentGain(segment, t))).toBeLessThan(0.01);
      }
    }
  });

  it('starts mid-segment when playback starts there', () => {
    const [segment] = plan();
    if (!segment) throw new Error('fixture');
    const points = gainAutomation({ segment, from: 0.5, to: 100 });
    expect(points[0]).toEqual({ time: 0.5, gain: audioSegmentGain(segment, 0.5) });
    expect(gainAutomation({ segment, from: 50, to: 100 })).toEqual([]);
  });
});
