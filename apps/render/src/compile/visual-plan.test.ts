import { applyCommands, createTimelineDoc, evaluate, frameStartMicros, originFor, sequentialIds, snapshot, type Frame, type TimelineCommand, type TimelineSnapshot } from '@cutline/timeline';
import { describe, expect, it } from 'vitest';
import { layerAlphaAt, planVisualLayers, type LayerPlan } from './visual-plan.ts';

/**
 * How much each layer contributes to a pixel covered by every layer, given compositing
 * "over" bottom to top: what the FFmpeg graph does with these alphas.
 */
function planWeights(layers: LayerPlan[], k: number, fps: { num: number; den: number }): Map<string, number> {
  const weights = new Map<string, number>();
  for (const layer of layers) {
    const alpha = layerAlphaAt(layer, k, fps);
    if (alpha <= 0) continue;
    for (const [key, w] of weights) weights.set(key, w * (1 - alpha));
    weights.set(layer.key, alpha);
  }
  return weights;
}

/** The same from evaluate(): crossfade pairs blend as a weighted sum (TL33), others "over". */
function evaluateWeights(frame: Frame): Map<string, number> {
  const weights = new Map<string, number>();
  const keyOf = (l: Frame['layers'][number]) => (l.clipId !== null ? `clip:${l.clipId}` : `dip:${l.transition?.id}`);
  const layers = frame.layers;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i] as Frame['layers'][number];
    const next = layers[i + 1];
    const pair = layer.transition?.kind === 'crossfade' && next?.transition?.id === layer.transition.id ? next : null;
    const alpha = layer.opacity + (pair?.opacity ?? 0);
    for (const [key, w] of weights) weights.set(key, w * (1 - alpha));
    weights.set(keyOf(layer), layer.opacity);
    if (pair) {
      weights.set(keyOf(pair), pair.opacity);
      i++;
    }
  }
  return weights;
}

function expectSameWeightsEveryFrame(snap: TimelineSnapshot, range = { start: 0, end: Math.round(snap.duration * (snap.settings.fps.num / snap.settings.fps.den)) }) {
  const fps = snap.settings.fps;
  const layers = planVisualLayers({ snapshot: snap, range });
  let checked = 0;
  for (let k = range.start; k < range.end; k++) {
    const t = frameStartMicros(k, fps) / 1e6;
    const expected = evaluateWeights(evaluate(snap, t));
    const actual = planWeights(layers, k, fps);
    const keys = new Set([...expected.keys(), ...actual.keys()]);
    for (const key of keys) {
      const e = expected.get(key) ?? 0;
      const a = actual.get(key) ?? 0;
      if (Math.abs(e - a) > 1e-4) throw new Error(`frame ${k} (t=${t}): ${key} weight ${a} in the graph, ${e} in evaluate()`);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(0);
}

function build(commands: (ids: { track: (n: number) => string; clip: (n: number) => string }) => TimelineCommand[], fps = { num: 25, den: 1 }): TimelineSnapshot {
  const doc = createTimelineDoc();
  const results = applyCommands(
    doc,
    [
      { type: 'setSettings', fps, width: 640, height: 360 },
      { type: 'registerAsset', assetId: 'v', kind: 'video', duration: 60, width: 640, height: 360, fps, hasAudio: true },
      { type: 'addTrack', kind: 'video' },
      { type: 'addTrack', kind: 'video' },
      { type: 'addTrack', kind: 'text' },
    ],
    originFor('user', 'u'),
    { ids: sequentialIds('x') },
  ) as { trackId?: string }[];
  const tracks = results.filter((r) => r.trackId).map((r) => r.trackId as string);
  const clipIds: string[] = [];
  // Clip ids are known only once the clip exists: `clip(n)` is a placeholder resolved per command.
  const more = commands({ track: (n) => tracks[n] as string, clip: (n) => `$clip${n}` });
  for (const raw of more) {
    const command = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('$clip') ? clipIds[Number(v.slice(5))] : v]),
    ) as TimelineCommand;
    const [result] = applyCommands(doc, [command], originFor('user', 'u'), { ids: sequentialIds(`c${clipIds.length}-`) }) as { clipId?: string }[];
    if (result?.clipId) clipIds.push(result.clipId);
  }
  return snapshot(doc);
}

describe('visual plan = evaluate() (TL30–TL33), frame by frame', () => {
  it('[TL32] fades and opacity on two tracks', () => {
    const snap = build(({ track, clip }) => [
      { type: 'addClip', trackId: track(0), assetId: 'v', start: 0, duration: 2, sourceIn: 1 },
      { type: 'addColorClip', trackId: track(1), color: '#ff0000', start: 0.4, duration: 1.2 },
      { type: 'updateClip', clipId: clip(0), fadeIn: 0.4, fadeOut: 0.6, opacity: 0.8 },
      { type: 'updateClip', clipId: clip(1), fadeIn: 0.3, fadeOut: 0.8, opacity: 0.5 },
    ]);
    expectSameWeightsEveryFrame(snap);
  });

  for (const kind of ['crossfade', 'dipToBlack', 'wipe'] as const) {
    it(`[TL33] ${kind} between opaque clips over a lower track`, () => {
      const snap = build(({ track, clip }) => [
        { type: 'addColorClip', trackId: track(0), color: '#0000ff', start: 0, duration: 4 },
        { type: 'addClip', trackId: track(1), assetId: 'v', start: 0, duration: 2, sourceIn: 5 },
        { type: 'addClip', trackId: track(1), assetId: 'v', start: 2, duration: 2, sourceIn: 10 },
        { type: 'addTransition', fromClipId: clip(1), toClipId: clip(2), kind, duration: 0.84 },
      ]);
      expect(snap.transitions).toHaveLength(1);
      expectSameWeightsEveryFrame(snap);
    });
  }

  it('[TL33] crossfade where only the outgoing clip is opaque (incoming drawn first)', () => {
    const snap = build(({ track, clip }) => [
      { type: 'addColorClip', trackId: track(0), color: '#0000ff', start: 0, duration: 4 },
      { type: 'addClip', trackId: track(1), assetId: 'v', start: 0, duration: 2, sourceIn: 5 },
      { type: 'addClip', trackId: track(1), assetId: 'v', start: 2, duration: 2, sourceIn: 10 },
      { type: 'updateClip', clipId: clip(2), opacity: 0.6, fadeIn: 0.2 },
      { type: 'addTransition', fromClipId: clip(1), toClipId: clip(2), kind: 'crossfade', duration: 1 },
    ]);
    const layers = planVisualLayers({ snapshot: snap, range: { start: 0, end: 100 } });
    expect(layers.map((l) => l.key)).toEqual(['clip:c0-1', 'clip:c2-1', 'clip:c1-1']);
    expectSameWeightsEveryFrame(snap);
  });

  it('[TL33] crossfade between two translucent, fading clips (per-frame keyframes)', () => {
    const snap = build(({ track, clip }) => [
      { type: 'addColorClip', trackId: track(0), color: '#0000ff', start: 0, duration: 4 },
      { type: 'addClip', trackId: track(1), assetId: 'v', start: 0, duration: 2, sourceIn: 5 },
      { type: 'addClip', trackId: track(1), assetId: 'v', start: 2, duration: 2, sourceIn: 10 },
      { type: 'updateClip', clipId: clip(1), opacity: 0.7, fadeOut: 0.3 },
      { type: 'updateClip', clipId: clip(2), opacity: 0.6 },
      { type: 'addTransition', fromClipId: clip(1), toClipId: clip(2), kind: 'crossfade', duration: 1 },
    ]);
    expect(planVisualLayers({ snapshot: snap, range: { start: 0, end: 100 } }).find((l) => l.keyframes.length > 0)).toBeDefined();
    expectSameWeightsEveryFrame(snap);
  });

  it('[TL33] chains of transitions at 29.97 fps with an odd dip duration, and a cut range', () => {
    const fps = { num: 30000, den: 1001 };
    const snap = build(
      ({ track, clip }) => [
        { type: 'addClip', trackId: track(0), assetId: 'v', start: 0, duration: 1.5, sourceIn: 5 },
        { type: 'addClip', trackId: track(0), assetId: 'v', start: 1.5, duration: 1.5, sourceIn: 10 },
        { type: 'addClip', trackId: track(0), assetId: 'v', start: 3, duration: 1.5, sourceIn: 20 },
        { type: 'addTransition', fromClipId: clip(0), toClipId: clip(1), kind: 'dipToBlack', duration: 0.7 },
        { type: 'addTransition', fromClipId: clip(1), toClipId: clip(2), kind: 'crossfade', duration: 0.5 },
        { type: 'addTextClip', trackId: track(2), text: 'hi', start: 0.5, duration: 3 },
        { type: 'updateClip', clipId: clip(3), fadeIn: 1, fadeOut: 1, opacity: 0.9 },
      ],
      fps,
    );
    expectSameWeightsEveryFrame(snap);
    expectSameWeightsEveryFrame(snap, { start: 20, end: 77 });
  });

  it('[TL30] hidden tracks give no layers', () => {
    const snap = build(({ track }) => [
      { type: 'addColorClip', trackId: track(1), color: '#00ff00', start: 0, duration: 1 },
      { type: 'updateTrack', trackId: track(1), hidden: true },
      { type: 'addColorClip', trackId: track(0), color: '#ff0000', start: 0, duration: 1 },
    ]);
    expect(planVisualLayers({ snapshot: snap, range: { start: 0, end: 25 } }).map((l) => l.content.kind)).toEqual(['color']);
    expectSameWeightsEveryFrame(snap);
  });
});
