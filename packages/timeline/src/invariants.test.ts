import { describe, expect, it } from 'vitest';
import { checkInvariants } from './invariants.ts';
import type { TimelineSnapshot } from './snapshot.ts';
import { fixture } from './testing/fixtures.ts';

function base(): TimelineSnapshot {
  const f = fixture();
  const t = f.track();
  const a = f.asset('video', 100);
  const c1 = f.videoClip(t, a, 0, 4, 10);
  const c2 = f.videoClip(t, a, 4, 4, 10);
  f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'crossfade', duration: 2 });
  f.run({ type: 'addMarker', time: 1 });
  f.run({ type: 'addMarker', time: 2 });
  return JSON.parse(JSON.stringify(f.snap())) as TimelineSnapshot;
}

type Mutable = { -readonly [K in keyof TimelineSnapshot]: unknown } & Record<string, unknown>;

function broken(mutate: (s: Mutable & { clips: Array<Record<string, unknown>>; transitions: Array<Record<string, unknown>>; markers: unknown[] }) => void): string[] {
  const s = base() as unknown as Mutable & { clips: Array<Record<string, unknown>>; transitions: Array<Record<string, unknown>>; markers: unknown[] };
  mutate(s);
  return checkInvariants(s as unknown as TimelineSnapshot);
}

describe('checkInvariants', () => {
  it('[TL9] a snapshot from the model passes', () => {
    expect(checkInvariants(base())).toEqual([]);
  });

  it('[TL17] [TL18] [TL16] [TL9] flags each kind of violation', () => {
    expect(broken((s) => (s.clips[1]!['start'] = 3)).join()).toMatch(/TL17/);
    expect(broken((s) => (s.clips[1]!['trackId'] = 'ghost')).join()).toMatch(/TL16/);
    expect(broken((s) => (s.clips[1]!['assetId'] = 'ghost')).join()).toMatch(/TL16/);
    expect(broken((s) => (s.transitions[0]!['duration'] = 5)).join()).toMatch(/TL18/);
    expect(broken((s) => s.transitions.push({ ...s.transitions[0], id: 'zz' })).join()).toMatch(/TL19/);
    expect(broken((s) => (s['duration'] = 1)).join()).toMatch(/TL9.*duration/);
    expect(broken((s) => s.markers.reverse()).join()).toMatch(/markers not sorted/);
    expect(broken((s) => (s.clips[0]!['fadeIn'] = 9)).join()).toMatch(/TL15/);
    expect(broken((s) => (s['version'] = 1)).join()).toMatch(/TL9.*schema/);
  });
});
