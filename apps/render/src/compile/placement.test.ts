import { fontMetrics } from '@cutline/shared/fonts';
import { PRESETS } from '@cutline/shared/renders';
import { applyCommands, createTimelineDoc, evaluate, originFor, sequentialIds, snapshot, type TimelineCommand, type TimelineSnapshot } from '@cutline/timeline';
import { fitInside, placeMedia, type Placement as LayoutPlacement } from '@cutline/timeline/layout';
import { describe, expect, it } from 'vitest';
import { compile, type CompileAsset } from './compile.ts';
import { encodePlacement, even } from './geometry.ts';

// The render places layers with @cutline/timeline/layout (TL70, TL71) and adds only FFmpeg's
// whole pixels and crops. These check, on random timelines, that compile's numbers are the
// layout module's and that what it adds moves the picture by at most a pixel.

const fonts = { file: (family: string) => `/fonts/${family.replace(/ /g, '')}.ttf`, metrics: (family: string) => fontMetrics(family) };
const assets = new Map<string, CompileAsset>([
  ['wide', { path: '/media/wide.mp4', width: 1920, height: 1080 }],
  ['tall', { path: '/media/tall.mp4', width: 720, height: 1280 }],
  ['logo', { path: '/media/logo.png', width: 400, height: 200 }],
]);

/** A small deterministic generator (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random visual clips with random transforms, on a random project size. */
function randomTimeline(seed: number): TimelineSnapshot {
  const r = prng(seed);
  const doc = createTimelineDoc();
  const run = (commands: TimelineCommand[]) => applyCommands(doc, commands, originFor('user', 'u'), { ids: sequentialIds(`s${seed}_`) }) as Record<string, string>[];
  const sizes = [
    [1920, 1080],
    [1080, 1920],
    [1280, 720],
    [1000, 1000],
    [640, 480],
  ] as const;
  const [width, height] = sizes[Math.floor(r() * sizes.length)]!;
  run([
    { type: 'setSettings', width, height, fps: { num: 30, den: 1 } },
    { type: 'registerAsset', assetId: 'wide', kind: 'video', duration: 60, width: 1920, height: 1080, fps: { num: 30, den: 1 }, hasAudio: false },
    { type: 'registerAsset', assetId: 'tall', kind: 'video', duration: 60, width: 720, height: 1280, fps: { num: 30, den: 1 }, hasAudio: false },
    { type: 'registerAsset', assetId: 'logo', kind: 'image', width: 400, height: 200 },
  ]);
  for (let i = 0; i < 3; i++) {
    const [track] = run([{ type: 'addTrack', kind: 'video' }]);
    const assetId = ['wide', 'tall', 'logo'][Math.floor(r() * 3)]!;
    const [clip] = run([{ type: 'addClip', trackId: track?.trackId as string, assetId, start: 0, duration: 1 }]);
    const pick = (lo: number, hi: number) => lo + r() * (hi - lo);
    run([
      {
        type: 'updateClip',
        clipId: clip?.clipId as string,
        x: pick(-0.5, 1.5),
        y: pick(-0.5, 1.5),
        scale: r() < 0.1 ? pick(5, 40) : pick(0.05, 2),
        rotation: r() < 0.4 ? 0 : Math.round(pick(-720, 720)),
      },
    ]);
  }
  return snapshot(doc);
}

const SEEDS = Array.from({ length: 60 }, (_, i) => 7000 + i);

describe('placement in the render (TL70, TL71)', () => {
  it('[TL71] compile scales and positions each video and image layer by the layout module\'s placement', () => {
    let checked = 0;
    for (const seed of SEEDS) {
      const snap = randomTimeline(seed);
      const preset = PRESETS['mp4-720p'];
      const compiled = compile({ snapshot: snap, assets, preset, range: { start: 0, end: 1 }, fonts, workDir: '/w' });
      const project = { width: snap.settings.width, height: snap.settings.height };
      const fitted = fitInside(project, { width: preset.video!.width, height: preset.video!.height });
      const canvas = { width: Math.min(preset.video!.width, even(fitted.width)), height: Math.min(preset.video!.height, even(fitted.height)) };
      expect(compiled.canvas).toEqual(canvas);
      for (const layer of evaluate(snap, 0).layers) {
        const source = assets.get(layer.assetId ?? '')!;
        const content = { width: source.width ?? 0, height: source.height ?? 0 };
        const placed = encodePlacement({ canvas, source: content, placement: placeMedia({ content, frame: canvas, transform: layer.transform }) });
        if (!placed) continue;
        expect(compiled.filterGraph, `seed ${seed}`).toContain(`scale=${placed.width}:${placed.height},setsar=1`);
        if (placed.crop) expect(compiled.filterGraph).toContain(`crop=w=${placed.crop.width}:h=${placed.crop.height}:x=${placed.crop.x}:y=${placed.crop.y}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(SEEDS.length);
  });

  it('[TL71] FFmpeg\'s whole pixels and crops move a layer by at most a pixel', () => {
    for (const seed of SEEDS) {
      const snap = randomTimeline(seed);
      const canvas = { width: snap.settings.width, height: snap.settings.height };
      for (const layer of evaluate(snap, 0).layers) {
        const source = assets.get(layer.assetId ?? '')!;
        const content = { width: source.width ?? 0, height: source.height ?? 0 };
        const p: LayoutPlacement = placeMedia({ content, frame: canvas, transform: layer.transform });
        const placed = encodePlacement({ canvas, source: content, placement: p });
        const cos = Math.cos(p.rotation);
        const sin = Math.sin(p.rotation);
        const halfW = (Math.abs(p.width * cos) + Math.abs(p.height * sin)) / 2;
        const halfH = (Math.abs(p.width * sin) + Math.abs(p.height * cos)) / 2;
        const onCanvas = p.centerX + halfW > 0 && p.centerX - halfW < canvas.width && p.centerY + halfH > 0 && p.centerY - halfH < canvas.height;
        if (!placed) {
          // Dropped only when its bounding box misses the canvas, or (rotated) its corners do.
          if (p.rotation === 0) expect(onCanvas, `seed ${seed}`).toBe(false);
          continue;
        }
        expect(placed.rotation).toBe(p.rotation);
        if (placed.crop) continue;
        const label = `seed ${seed}: ${JSON.stringify(p)} → ${JSON.stringify(placed)}`;
        expect(Math.abs(placed.width - p.width), label).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(Math.abs(placed.height - p.height), label).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(Math.abs(placed.x + placed.boxWidth / 2 - p.centerX), label).toBeLessThanOrEqual(1);
        expect(Math.abs(placed.y + placed.boxHeight / 2 - p.centerY), label).toBeLessThanOrEqual(1);
      }
    }
  });
});
