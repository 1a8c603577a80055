import { describe, expect, it } from 'vitest';
import { create, real53 } from 'lib0/prng';
import { audioPlan, audioSegmentGain } from './audio-plan.ts';
import { evaluate } from './evaluate.ts';
import { fixture } from './testing/fixtures.ts';

function build() {
  const f = fixture();
  const v = f.track('video');
  const au = f.track('audio');
  const muted = f.track('audio');
  const film = f.asset('video', 100);
  const music = f.asset('audio', 100);
  const c1 = f.videoClip(v, film, 0, 4, 10);
  const c2 = f.videoClip(v, film, 4, 4, 30);
  const s1 = f.videoClip(au, music, 1, 3, 0);
  const s2 = f.videoClip(au, music, 4, 3, 50);
  f.videoClip(muted, music, 0, 9, 0);
  f.run({ type: 'updateTrack', trackId: muted, muted: true });
  f.run({ type: 'updateClip', clipId: s1, volume: 1.5, fadeIn: 1 });
  f.run({ type: 'updateClip', clipId: c2, fadeOut: 2, speed: 1.5 });
  f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'crossfade', duration: 2 });
  f.run({ type: 'addTransition', fromClipId: s1, toClipId: s2, kind: 'dipToBlack', duration: 1 });
  return { f, c1, c2, s1, s2, film, music };
}

describe('audioPlan', () => {
  it('[TL35] lists each audible clip with its source range, extended by transition handles', () => {
    const { f, c1, c2, s1, s2, film, music } = build();
    const plan = audioPlan(f.snap());
    expect(plan.map((p) => p.clipId)).toEqual([c1, c2, s1, s2]);
    expect(plan[0]).toMatchObject({ assetId: film, start: 0, end: 5, sourceIn: 10, sourceOut: 15, clipStart: 0, clipEnd: 4, ramps: [{ start: 3, end: 5, from: 1, to: 0 }] });
    expect(plan[1]).toMatchObject({ start: 3, end: 8, speed: 1.5, sourceIn: 28.5, sourceOut: 36, fadeOut: 2, ramps: [{ start: 3, end: 5, from: 0, to: 1 }] });
    expect(plan[2]).toMatchObject({ assetId: music, start: 1, end: 4.5, volume: 1.5, fadeIn: 1, ramps: [{ start: 3.5, end: 4, from: 1, to: 0 }] });
    expect(plan[3]).toMatchObject({ start: 3.5, end: 7, sourceIn: 49.5, ramps: [{ start: 4, end: 4.5, from: 0, to: 1 }] });
  });

  it('[TL35] segment gains equal what evaluate reports at every time', () => {
    const { f } = build();
    const s = f.snap();
    const plan = audioPlan(s);
    const gen = create(3);
    for (let i = 0; i < 2000; i++) {
      const t = Math.round(real53(gen) * 10 * 1e6) / 1e6;
      const heard = new Map(evaluate(s, t).audio.map((a) => [a.clipId, a]));
      for (const seg of plan) {
        const g = audioSegmentGain(seg, t);
        expect(g, `${seg.clipId} at ${t}`).toBeCloseTo(heard.get(seg.clipId)?.gain ?? 0, 9);
        if (g > 0) {
          const src = seg.sourceIn + (t - seg.start) * seg.speed;
          expect(heard.get(seg.clipId)?.sourceTime).toBeCloseTo(src, 6);
        }
      }
      for (const id of heard.keys()) expect(plan.some((p) => p.clipId === id)).toBe(true);
    }
  });

  it('[TL34] skips video without audio and muted tracks', () => {
    const f = fixture();
    const v = f.track('video');
    const silent = f.asset('video', 10, { hasAudio: false });
    const unknown = (f.run({ type: 'registerAsset', kind: 'video', duration: 10 }) as { assetId: string }).assetId;
    f.videoClip(v, silent, 0, 2);
    f.videoClip(v, unknown, 2, 2);
    expect(audioPlan(f.snap())).toEqual([]);
  });
});
