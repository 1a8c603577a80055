import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.ts';
import { fixture } from './testing/fixtures.ts';
import { frameTimeSeconds } from './time.ts';

function clipId(r: unknown): string {
  return (r as { clipId: string }).clipId;
}

describe('evaluate', () => {
  it('[TL30] gaps show the background; clips cover [start, end)', () => {
    const f = fixture({ background: '#102030' });
    const t = f.track();
    const c = clipId(f.run({ type: 'addColorClip', trackId: t, color: '#ff0000', start: 1, duration: 1 }));
    const s = f.snap();
    expect(evaluate(s, 0.5)).toEqual({ time: 0.5, background: '#102030', layers: [], audio: [] });
    expect(evaluate(s, 1).layers.map((l) => l.clipId)).toEqual([c]);
    expect(evaluate(s, 1.999).layers).toHaveLength(1);
    expect(evaluate(s, 2).layers).toEqual([]);
  });

  it('[TL30] upper tracks cover lower: layers come bottom to top', () => {
    const f = fixture();
    const top = f.track();
    const bottom = (f.run({ type: 'addTrack', kind: 'video', index: 0 }) as { trackId: string }).trackId;
    const text = f.track('text');
    const low = clipId(f.run({ type: 'addColorClip', trackId: bottom, color: '#000000', start: 0, duration: 10 }));
    const high = clipId(f.run({ type: 'addColorClip', trackId: top, color: '#ffffff', start: 2, duration: 2 }));
    const title = clipId(f.run({ type: 'addTextClip', trackId: text, text: 'Hi', start: 3, duration: 5, style: { fontSize: 80 }, x: 0.5, y: 0.9 }));
    const frame = evaluate(f.snap(), 3.5);
    expect(frame.layers.map((l) => l.clipId)).toEqual([low, high, title]);
    expect(frame.layers[2]).toMatchObject({
      kind: 'text',
      text: 'Hi',
      opacity: 1,
      transform: { x: 0.5, y: 0.9, scale: 1, rotation: 0 },
      style: { fontFamily: 'Inter', fontSize: 80 },
      sourceTime: null,
      transition: null,
    });
    expect(evaluate(f.snap(), 5).layers.map((l) => l.clipId)).toEqual([low, title]);
  });

  it('[TL30] hidden tracks show nothing but still sound; muted tracks are silent', () => {
    const f = fixture();
    const t = f.track();
    const a = f.asset('video', 60);
    f.videoClip(t, a, 0, 5, 1);
    f.run({ type: 'updateTrack', trackId: t, hidden: true });
    expect(evaluate(f.snap(), 1)).toMatchObject({ layers: [], audio: [{ gain: 1 }] });
    f.run({ type: 'updateTrack', trackId: t, hidden: false, muted: true });
    expect(evaluate(f.snap(), 1)).toMatchObject({ layers: [{ kind: 'video' }], audio: [] });
  });

  it('[TL31] source time respects sourceIn, trims and speed', () => {
    const f = fixture({ fps: { num: 25, den: 1 } });
    const t = f.track();
    const a = f.asset('video', 100);
    const c = f.videoClip(t, a, 2, 4, 10);
    expect(evaluate(f.snap(), 3).layers[0]?.sourceTime).toBeCloseTo(11, 9);
    f.run({ type: 'trimClip', clipId: c, edge: 'start', to: 2.8 });
    expect(evaluate(f.snap(), 3).layers[0]?.sourceTime).toBeCloseTo(11, 9);
    f.run({ type: 'updateClip', clipId: c, speed: 2 });
    // In-point 10.8 s at 2.8 s; 0.2 s later at double speed → 11.2 s.
    expect(evaluate(f.snap(), 3).layers[0]?.sourceTime).toBeCloseTo(11.2, 9);
    expect(evaluate(f.snap(), 3).audio[0]).toMatchObject({ speed: 2 });
    expect(evaluate(f.snap(), 3).audio[0]?.sourceTime).toBeCloseTo(11.2, 9);
  });

  it('[TL32] fades scale opacity and gain linearly', () => {
    const f = fixture();
    const t = f.track();
    const a = f.asset('video', 60);
    const c = f.videoClip(t, a, 0, 4, 0);
    f.run({ type: 'updateClip', clipId: c, fadeIn: 1, fadeOut: 2, opacity: 0.8, volume: 2 });
    const s = f.snap();
    expect(evaluate(s, 0).layers).toEqual([]);
    expect(evaluate(s, 0.5).layers[0]?.opacity).toBeCloseTo(0.4, 9);
    expect(evaluate(s, 0.5).audio[0]?.gain).toBeCloseTo(1, 9);
    expect(evaluate(s, 1.5).layers[0]?.opacity).toBeCloseTo(0.8, 9);
    expect(evaluate(s, 3).layers[0]?.opacity).toBeCloseTo(0.4, 9);
    expect(evaluate(s, 3).audio[0]?.gain).toBeCloseTo(1, 9);
  });

  it('[TL33] a crossfade at its midpoint gives both layers opacity 0.5', () => {
    const f = fixture();
    const t = f.track();
    const a = f.asset('video', 60);
    const c1 = f.videoClip(t, a, 0, 4, 10);
    const c2 = f.videoClip(t, a, 4, 4, 20);
    const tr = (f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'crossfade', duration: 2 }) as { transitionId: string }).transitionId;
    const s = f.snap();
    const mid = evaluate(s, 4);
    expect(mid.layers.map((l) => [l.clipId, l.opacity, l.transition?.role, l.transition?.progress])).toEqual([
      [c1, 0.5, 'from', 0.5],
      [c2, 0.5, 'to', 0.5],
    ]);
    expect(mid.layers[0]?.transition?.id).toBe(tr);
    // The outgoing clip plays past its end from its handle, the incoming one before its start.
    expect(mid.layers[0]?.sourceTime).toBeCloseTo(14, 9);
    expect(mid.layers[1]?.sourceTime).toBeCloseTo(20, 9);
    expect(mid.audio.map((x) => x.gain)).toEqual([0.5, 0.5]);
    const quarter = evaluate(s, 3.5);
    expect(quarter.layers.map((l) => l.opacity)).toEqual([0.75, 0.25]);
    expect(quarter.layers[1]?.sourceTime).toBeCloseTo(19.5, 9);
    expect(evaluate(s, 2.9).layers.map((l) => l.clipId)).toEqual([c1]);
    expect(evaluate(s, 5).layers.map((l) => l.clipId)).toEqual([c2]);
  });

  it('[TL33] dip to black: the outgoing clip under a rising black layer, then the incoming', () => {
    const f = fixture();
    const t = f.track();
    const c1 = clipId(f.run({ type: 'addColorClip', trackId: t, color: '#ff0000', start: 0, duration: 4 }));
    const c2 = clipId(f.run({ type: 'addColorClip', trackId: t, color: '#00ff00', start: 4, duration: 4 }));
    f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'dipToBlack', duration: 2 });
    const s = f.snap();
    expect(evaluate(s, 3.5).layers.map((l) => [l.clipId, l.opacity, l.color])).toEqual([
      [c1, 1, '#ff0000'],
      [null, 0.5, '#000000'],
    ]);
    expect(evaluate(s, 4).layers.map((l) => [l.clipId, l.opacity])).toEqual([
      [c2, 1],
      [null, 1],
    ]);
    expect(evaluate(s, 4.5).layers.map((l) => [l.clipId, l.opacity, l.transition?.role])).toEqual([
      [c2, 1, 'to'],
      [null, 0.5, 'dip'],
    ]);
  });

  it('[TL33] wipe: both clips at full opacity, the incoming one carries the progress', () => {
    const f = fixture();
    const t = f.track();
    const c1 = clipId(f.run({ type: 'addColorClip', trackId: t, color: '#ff0000', start: 0, duration: 4 }));
    const c2 = clipId(f.run({ type: 'addColorClip', trackId: t, color: '#00ff00', start: 4, duration: 4 }));
    f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'wipe', duration: 1 });
    expect(evaluate(f.snap(), 3.75).layers.map((l) => [l.clipId, l.opacity, l.transition?.kind, l.transition?.progress])).toEqual([
      [c1, 1, 'wipe', 0.25],
      [c2, 1, 'wipe', 0.25],
    ]);
  });

  it('[TL34] audio: audio tracks sound, video sounds only when the asset has audio', () => {
    const f = fixture();
    const v = f.track('video');
    const au = f.track('audio');
    const music = f.asset('audio', 60);
    const silent = f.asset('video', 60, { hasAudio: false });
    const song = f.videoClip(au, music, 0, 10, 5);
    f.videoClip(v, silent, 0, 10);
    f.run({ type: 'updateClip', clipId: song, volume: 0.5 });
    const frame = evaluate(f.snap(), 2);
    expect(frame.layers).toHaveLength(1);
    expect(frame.audio).toEqual([{ clipId: song, trackId: au, assetId: music, sourceTime: 7, speed: 1, gain: 0.5 }]);
  });

  it('[TL22] [TL30] frames at 23.976 fps land in the right clips', () => {
    const fps = { num: 24000, den: 1001 };
    const f = fixture({ fps });
    const t = f.track();
    // Clips of 5 frames each, placed by frame times in seconds.
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(clipId(f.run({ type: 'addColorClip', trackId: t, color: '#000000', start: (i * 5 * 1001) / 24000, duration: (5 * 1001) / 24000 })));
    }
    const s = f.snap();
    for (let k = 0; k < 100; k++) {
      const exact = (k * 1001) / 24000;
      expect(evaluate(s, exact).layers[0]?.clipId, `frame ${k}`).toBe(ids[Math.floor(k / 5)]);
      expect(evaluate(s, frameTimeSeconds(k, fps)).layers[0]?.clipId).toBe(ids[Math.floor(k / 5)]);
    }
  });

  it('[TL22] [TL31] at 29.97 fps a clip snapped to 1 s starts on frame 30 and source frames advance per frame', () => {
    const fps = { num: 30000, den: 1001 };
    const f = fixture({ fps });
    const t = f.track();
    const a = f.asset('video', 60, { fps });
    const c = f.videoClip(t, a, 1, 2, 0);
    expect(f.clip(c).start).toBe(1.001);
    const s = f.snap();
    expect(evaluate(s, (29 * 1001) / 30000).layers).toEqual([]);
    expect(evaluate(s, (30 * 1001) / 30000).layers[0]?.sourceTime).toBeCloseTo(0, 6);
    expect(evaluate(s, (31 * 1001) / 30000).layers[0]?.sourceTime).toBeCloseTo(1001 / 30000, 6);
    expect(evaluate(s, (89 * 1001) / 30000).layers[0]?.sourceTime).toBeCloseTo((59 * 1001) / 30000, 6);
    expect(evaluate(s, (90 * 1001) / 30000).layers).toEqual([]);
  });

  it('[TL30] quantises t to whole microseconds', () => {
    const f = fixture();
    expect(evaluate(f.snap(), 1.23456789).time).toBe(1.234568);
  });
});
