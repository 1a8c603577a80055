import { create as createPrng, int32, real53, type PRNG } from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { applyCommand, applyCommands } from '../commands/apply.ts';
import { createTimelineDoc } from '../doc.ts';
import { TimelineError } from '../errors.ts';
import { evaluate } from '../evaluate.ts';
import { sequentialIds } from '../ids.ts';
import type { AssetKind, TrackKind } from '../model.ts';
import { originFor } from '../origin.ts';
import { snapshot, type SnapshotTextStyle, type TimelineSnapshot } from '../snapshot.ts';
import { fixture, forkDoc } from '../testing/fixtures.ts';
import { SEED_COMMANDS, randomCommand } from '../testing/random-commands.ts';
import { frameStartMicros, microsToSeconds, secondsToMicros, snapPointMicros } from '../time.ts';
import {
  clipAt,
  clipKindForAsset,
  editView,
  fitInside,
  isFree,
  layoutText,
  maxTransitionDuration,
  nextAdjacent,
  placeLayer,
  placeMedia,
  placementCorners,
  rotationRadians,
  snapSpan,
  snapTargets,
  snapTime,
  splitLines,
  textPixelSize,
  trackAcceptsAsset,
  trimBounds,
  type SnapTarget,
  type TextMeasurer,
} from './index.ts';

const frame = { width: 1920, height: 1080 };
const identity = { x: 0.5, y: 0.5, scale: 1, rotation: 0 };

/** A timeline made by the seed commands and `steps` random ones (rejected ones change nothing). */
function randomSnapshot(gen: PRNG, steps: number): TimelineSnapshot {
  return snapshot(randomDoc(gen, steps));
}

function randomDoc(gen: PRNG, steps: number): Y.Doc {
  const doc = createTimelineDoc();
  const origin = originFor('user', 'u');
  const ids = sequentialIds('r');
  applyCommands(doc, [...SEED_COMMANDS], origin, { ids });
  for (let i = 0; i < steps; i++) {
    const cmd = randomCommand(gen, snapshot(doc));
    try {
      if (Array.isArray(cmd)) applyCommands(doc, cmd, origin, { ids });
      else applyCommand(doc, cmd, origin, { ids });
    } catch (e) {
      if (!(e instanceof TimelineError)) throw e;
    }
  }
  return doc;
}

const SEEDS = Array.from({ length: Number(process.env.LAYOUT_RUNS ?? 40) }, (_, i) => 1000 + i);

describe('placement', () => {
  it('[TL70] fits media inside the frame keeping its aspect ratio', () => {
    expect(fitInside({ width: 1280, height: 720 }, frame)).toEqual({ width: 1920, height: 1080, factor: 1.5 });
    expect(fitInside({ width: 1080, height: 1920 }, frame)).toMatchObject({ width: 607.5, height: 1080 });
    expect(fitInside({ width: 0, height: 10 }, frame)).toEqual({ width: 0, height: 0, factor: 0 });
  });

  it('[TL71] scales about the centre, centres at x·width, y·height and turns clockwise', () => {
    const p = placeMedia({ content: { width: 640, height: 360 }, frame, transform: { x: 0.25, y: 0.75, scale: 0.5, rotation: 90 } });
    expect(p).toEqual({ width: 960, height: 540, centerX: 480, centerY: 810, rotation: Math.PI / 2 });
    // Clockwise on a y-down screen: the top-left corner goes to the top-right.
    const [topLeft] = placementCorners(placeLayer({ size: { width: 100, height: 100 }, frame: { width: 200, height: 100 }, transform: { ...identity, rotation: 90 } }));
    expect(topLeft?.[0]).toBeCloseTo(150);
    expect(topLeft?.[1]).toBeCloseTo(0);
  });

  it('[TL71] takes rotation modulo a whole turn, exactly 0 for whole turns', () => {
    expect(rotationRadians(720)).toBe(0);
    expect(rotationRadians(-360)).toBe(0);
    expect(rotationRadians(-90)).toBeCloseTo((3 * Math.PI) / 2, 12);
    expect(rotationRadians(450)).toBeCloseTo(Math.PI / 2, 12);
  });

  it('[TL71] every visual layer of random timelines lands where its transform says', () => {
    for (const seed of SEEDS) {
      const gen = createPrng(seed);
      const snap = randomSnapshot(gen, 40);
      const project = { width: snap.settings.width, height: snap.settings.height };
      for (let k = 0; k < 5; k++) {
        const t = real53(gen) * Math.max(1, snap.duration);
        for (const layer of evaluate(snap, t).layers) {
          const asset = snap.assets.find((a) => a.id === layer.assetId);
          const content = asset?.width && asset.height ? { width: asset.width, height: asset.height } : project;
          const p = placeMedia({ content, frame: project, transform: layer.transform });
          const fitted = fitInside(content, project);
          // Fitted means touching the frame on one axis.
          expect(Math.max(fitted.width / project.width, fitted.height / project.height), `seed ${seed}`).toBeCloseTo(1, 12);
          expect(p.width).toBeCloseTo(fitted.width * layer.transform.scale, 9);
          const corners = placementCorners(p);
          const cx = corners.reduce((s, c) => s + c[0], 0) / 4;
          const cy = corners.reduce((s, c) => s + c[1], 0) / 4;
          expect(cx).toBeCloseTo(layer.transform.x * project.width, 6);
          expect(cy).toBeCloseTo(layer.transform.y * project.height, 6);
          // Rotation keeps the sides' lengths.
          expect(Math.hypot(corners[1]![0] - corners[0]![0], corners[1]![1] - corners[0]![1])).toBeCloseTo(p.width, 6);
        }
      }
    }
  });
});

const style: SnapshotTextStyle = { fontFamily: 'Roboto Mono', fontSize: 10, color: '#ffffff', background: null, align: 'center' };
// A monospace stand-in: every character 0.6 em wide, ascent 0.8 em, descent 0.2 em.
const measure: TextMeasurer = { metrics: (_f, size) => ({ ascent: 0.8 * size, descent: 0.2 * size }), width: (line, _f, size) => line.length * 0.6 * size };

describe('text layout', () => {
  it('[TL72] lays out at the whole-pixel size of fontSize × scale, at least 1', () => {
    const block = layoutText({ text: 'ab', style, scale: 1.26, measure });
    expect(block.size).toBe(13);
    expect(block.width).toBeCloseTo(2 * 0.6 * 13);
    expect(textPixelSize(1, 0.2)).toBe(1);
    expect(textPixelSize(80, 0.6666)).toBe(53);
  });

  it('[TL72] keeps empty lines and literal characters, and never a NUL', () => {
    expect(splitLines("a\r\n\n%{pts}:'\\\0")).toEqual(['a', '', "%{pts}:'\\\uFFFD"]);
    expect(splitLines('a\rb\nc')).toEqual(['a', 'b', 'c']);
    expect(layoutText({ text: 'a\n\nb', style, scale: 1, measure }).height).toBe(36);
  });

  it('[TL73] stacks lines 1.2 × size apart with the font box centred, aligned in the widest line', () => {
    const block = layoutText({ text: 'abcd\nab', style, scale: 1, measure });
    expect(block).toMatchObject({ size: 10, width: 24, height: 24, lineHeight: 12 });
    // Line box 12 px, font box 10 px: 1 px of half-leading above an 8 px ascent.
    expect(block.lines).toEqual([
      { text: 'abcd', x: 0, baseline: 9, width: 24 },
      { text: 'ab', x: 6, baseline: 21, width: 12 },
    ]);
    expect(layoutText({ text: 'abcd\nab', style: { ...style, align: 'right' }, scale: 1, measure }).lines[1]?.x).toBe(12);
    expect(layoutText({ text: 'abcd\nab', style: { ...style, align: 'left' }, scale: 1, measure }).lines[1]?.x).toBe(0);
  });

  it('[TL74] grows the background box by padding × scale on every side', () => {
    const block = layoutText({ text: 'ab', style: { ...style, background: { color: '#000000', padding: 4 } }, scale: 2, measure });
    expect(block.box).toEqual({ x: -8, y: -8, width: 24 + 16, height: 24 + 16, color: '#000000' });
    expect(layoutText({ text: 'ab', style, scale: 2, measure }).box).toBeNull();
  });

  it('[TL72] a size override (the render shrinking a huge block) lays out at that size', () => {
    const block = layoutText({ text: 'ab', style: { ...style, background: { color: '#000000', padding: 4 } }, scale: 2, measure, size: 5, padding: 1 });
    expect(block).toMatchObject({ size: 5, width: 6, height: 6 });
    expect(block.box).toMatchObject({ x: -1, width: 8 });
  });
});

describe('edit rules', () => {
  it('[TL75] a track accepts an asset exactly when addClip would put it there', () => {
    const f = fixture();
    const tracks: Record<TrackKind, string> = { video: f.track('video'), audio: f.track('audio'), text: f.track('text') };
    const assets: { kind: AssetKind; hasAudio: boolean | null; id: string }[] = [
      { kind: 'video', hasAudio: true, id: f.asset('video', 60, { hasAudio: true }) },
      { kind: 'video', hasAudio: false, id: f.asset('video', 60, { hasAudio: false }) },
      { kind: 'video', hasAudio: null, id: f.asset('video', 60, { hasAudio: undefined }) },
      { kind: 'audio', hasAudio: true, id: f.asset('audio', 60) },
      { kind: 'image', hasAudio: false, id: f.asset('image') },
    ];
    let start = 0;
    for (const [trackKind, trackId] of Object.entries(tracks) as [TrackKind, string][]) {
      for (const asset of assets) {
        const registered = f.snap().assets.find((a) => a.id === asset.id)!;
        let accepted = true;
        try {
          f.run({ type: 'addClip', trackId, assetId: asset.id, start, duration: 1 });
        } catch {
          accepted = false;
        }
        start += 2;
        expect(trackAcceptsAsset({ trackKind, asset: registered }), `${trackKind} ← ${asset.kind} hasAudio ${String(asset.hasAudio)}`).toBe(accepted);
        if (accepted) expect(f.snap().clips.at(-1)?.kind).toBe(clipKindForAsset({ trackKind, asset: registered }));
      }
    }
  });

  it('[TL17] finds free space (touching is free), the clip under a time and the clip after a cut', () => {
    const f = fixture();
    const track = f.track();
    const video = f.asset('video', 10);
    f.videoClip(track, video, 2, 3, 1);
    f.run({ type: 'addColorClip', trackId: track, color: '#00ff00', start: 8, duration: 2 });
    f.videoClip(track, video, 10, 2, 4);
    const view = editView(f.snap());
    expect(editView(f.snap())).toBe(view);
    expect(isFree({ view, trackId: track, start: 5_000_000, end: 8_000_000 })).toBe(true);
    expect(isFree({ view, trackId: track, start: 4_999_999, end: 6_000_000 })).toBe(false);
    expect(isFree({ view, trackId: track, start: 4_999_999, end: 6_000_000, exclude: [view.clips[0]!.id] })).toBe(true);
    expect(clipAt({ view, trackId: track, at: 8_000_000 })?.kind).toBe('color');
    expect(clipAt({ view, trackId: track, at: 7_999_999 })).toBeUndefined();
    expect(nextAdjacent({ view, clipId: view.clips[1]!.id })?.start).toBe(10_000_000);
    expect(nextAdjacent({ view, clipId: view.clips[0]!.id })).toBeUndefined();
  });

  it('[TL76] trimming to each bound is accepted and one frame past it is refused (random timelines)', () => {
    let checked = 0;
    for (const seed of SEEDS) {
      const gen = createPrng(seed);
      const doc = randomDoc(gen, 30);
      const origin = originFor('user', 'u');
      const snap = snapshot(doc);
      const unlocked = snap.clips.filter((c) => !snap.tracks.find((t) => t.id === c.trackId)?.locked);
      const clip = unlocked[int32(gen, 0, unlocked.length - 1)];
      if (!clip) continue;
      const view = editView(snap);
      const b = trimBounds({ view, clipId: clip.id })!;
      const fps = snap.settings.fps;
      const frame = frameStartMicros(1, fps);
      // The command snaps `to` to the nearest frame: aim at the frames just inside each bound.
      const inside = { start: snapAtLeast(b.minStart, fps), end: snapAtMost(b.maxEnd, fps) };
      const tries: { edge: 'start' | 'end'; to: number; ok: boolean }[] = [
        { edge: 'start', to: inside.start, ok: inside.start <= b.maxStart },
        { edge: 'start', to: inside.start - frame, ok: false },
        { edge: 'end', to: inside.end, ok: inside.end >= b.minEnd },
        { edge: 'end', to: inside.end + frame, ok: false },
      ];
      // An asset shortened under a clip (TL13) leaves only its end to trim.
      const overruns = b.maxEnd < secondsToMicros(clip.start + clip.duration);
      for (const { edge, to, ok } of tries) {
        if (to < 0 || (edge === 'start' && overruns)) continue;
        const copy = forkDoc(doc);
        let accepted = true;
        try {
          applyCommand(copy, { type: 'trimClip', clipId: clip.id, edge, to: microsToSeconds(to) }, origin);
        } catch (e) {
          if (!(e instanceof TimelineError)) throw e;
          accepted = false;
        }
        expect(accepted, `seed ${seed}: trim ${edge} of ${clip.id} to ${to} µs, bounds ${JSON.stringify(b)}`).toBe(ok);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(SEEDS.length);
  });

  it('[TL77] the longest transition is accepted and one frame longer is refused (random cuts)', () => {
    let checked = 0;
    for (const seed of SEEDS) {
      const gen = createPrng(seed);
      const rates = [
        { num: 30, den: 1 },
        { num: 30000, den: 1001 },
        { num: 25, den: 1 },
        { num: 24000, den: 1001 },
      ];
      const f = fixture({ fps: rates[int32(gen, 0, rates.length - 1)]! });
      const track = f.track();
      const length = 6 + int32(gen, 0, 20);
      const video = f.asset('video', length);
      const a = f.videoClip(track, video, 0, 1 + int32(gen, 0, 8) / 4, int32(gen, 0, 8) / 4);
      const aClip = f.clip(a);
      const b = f.videoClip(track, video, aClip.start + aClip.duration, 1 + int32(gen, 0, 8) / 4, int32(gen, 0, 8) / 4);
      const view = editView(f.snap());
      const max = maxTransitionDuration({ view, fromId: a, toId: b });
      const fps = f.snap().settings.fps;
      const longest = snapAtMost(max, fps);
      const frame = frameStartMicros(1, fps);
      for (const [d, ok] of [
        [longest, longest >= frame],
        [longest + frame, false],
      ] as const) {
        if (d < frame) continue;
        const copy = forkDoc(f.doc);
        let accepted = true;
        try {
          applyCommand(copy, { type: 'addTransition', fromClipId: a, toClipId: b, kind: 'crossfade', duration: microsToSeconds(d) }, f.origin);
        } catch (e) {
          if (!(e instanceof TimelineError)) throw e;
          accepted = false;
        }
        expect(accepted, `seed ${seed}: ${d} µs, max ${max}`).toBe(ok);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(SEEDS.length);
  });

  it('[TL78] snaps to the nearest target within the threshold, the playhead winning a tie', () => {
    const targets: SnapTarget[] = [
      { time: 0, kind: 'origin' },
      { time: 5_000_000, kind: 'clip' },
      { time: 5_020_000, kind: 'playhead' },
      { time: 12_000_000, kind: 'marker' },
    ];
    expect(snapTime({ time: 11_900_000, targets, threshold: 200_000 })).toEqual({ time: 12_000_000, target: targets[3] });
    expect(snapTime({ time: 11_000_000, targets, threshold: 200_000 })).toEqual({ time: 11_000_000, target: null });
    expect(snapTime({ time: 5_030_000, targets, threshold: 200_000 }).target?.kind).toBe('playhead');
    expect(snapTime({ time: 5_010_000, targets, threshold: 200_000 }).target?.kind).toBe('playhead');
    // A span snaps by its nearer edge and keeps its length; never before 0.
    expect(snapSpan({ start: 9_950_000, duration: 2_000_000, targets, threshold: 200_000 })).toEqual({ time: 10_000_000, target: targets[3] });
    expect(snapSpan({ start: -100_000, duration: 2_000_000, targets, threshold: 50_000 }).time).toBe(0);
  });

  it('[TL78] snap targets are the origin, the playhead, other clips\' edges and markers', () => {
    const f = fixture();
    const track = f.track();
    f.run({ type: 'addColorClip', trackId: track, color: '#ff0000', start: 1, duration: 2 });
    f.run({ type: 'addColorClip', trackId: track, color: '#00ff00', start: 4, duration: 1 });
    f.run({ type: 'addMarker', time: 7 });
    const view = editView(f.snap());
    const times = snapTargets({ view, playhead: 2_500_000, exclude: [view.clips[0]!.id] }).map((t) => t.time);
    expect(times.sort((x, y) => x - y)).toEqual([0, 2_500_000, 4_000_000, 5_000_000, 7_000_000]);
  });
});

/** The first frame boundary at or after `us`. */
function snapAtLeast(us: number, fps: { num: number; den: number }): number {
  let t = snapPointMicros(us, fps);
  if (t < us) t = snapPointMicros(t + frameStartMicros(1, fps), fps);
  return t;
}

/** The last frame boundary at or before `us`. */
function snapAtMost(us: number, fps: { num: number; den: number }): number {
  let t = snapPointMicros(us, fps);
  if (t > us) t = snapPointMicros(Math.max(0, t - frameStartMicros(1, fps)), fps);
  return t;
}
