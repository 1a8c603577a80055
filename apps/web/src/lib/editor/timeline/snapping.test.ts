import { describe, expect, it } from 'vitest';
import { applyCommands, createTimelineDoc, originFor, sequentialIds, snapshot } from '@cutline/timeline';
import { snapSpan, snapTargets, snapTime, type SnapTarget } from './snapping.ts';

const targets: SnapTarget[] = [
  { time: 0, kind: 'origin' },
  { time: 5, kind: 'clip' },
  { time: 5.02, kind: 'playhead' },
  { time: 12, kind: 'marker' },
];

describe('snapping', () => {
  it('snaps to the nearest target within the threshold', () => {
    expect(snapTime({ time: 11.9, targets, thresholdSeconds: 0.2 })).toEqual({ time: 12, target: { time: 12, kind: 'marker' } });
    expect(snapTime({ time: 11, targets, thresholdSeconds: 0.2 })).toEqual({ time: 11, target: null });
    expect(snapTime({ time: 5.03, targets, thresholdSeconds: 0.2 }).target?.kind).toBe('playhead');
  });

  it('snaps a moved span by its nearer edge and keeps its length', () => {
    // End at 11.95 is 0.05 from the marker; start at 9.95 is far from everything.
    expect(snapSpan({ start: 9.95, duration: 2, targets, thresholdSeconds: 0.2 })).toEqual({ time: 10, target: { time: 12, kind: 'marker' } });
    expect(snapSpan({ start: 4.9, duration: 2, targets, thresholdSeconds: 0.2 }).time).toBe(5);
    expect(snapSpan({ start: -0.1, duration: 2, targets, thresholdSeconds: 0.05 }).time).toBe(0);
  });

  it('collects playhead, clip edges and markers, leaving out dragged clips', () => {
    const doc = createTimelineDoc();
    const origin = originFor('user', 'u1');
    const ids = sequentialIds('t');
    applyCommands(
      doc,
      [
        { type: 'addTrack', kind: 'video' },
        { type: 'addColorClip', trackId: '$0.trackId', color: '#ff0000', start: 1, duration: 2 },
        { type: 'addColorClip', trackId: '$0.trackId', color: '#00ff00', start: 4, duration: 1 },
        { type: 'addMarker', time: 7 },
      ],
      origin,
      { ids },
    );
    const snap = snapshot(doc);
    const dragged = snap.clips[0]?.id ?? '';
    const times = snapTargets({ snapshot: snap, playhead: 2.5, exclude: new Set([dragged]) }).map((t) => t.time);
    expect(times.sort((a, b) => a - b)).toEqual([0, 2.5, 4, 5, 7]);
  });
});
