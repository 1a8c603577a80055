// What is on screen, as a list of layers in compositing order, each with the frames it
// covers and an opacity that is a product of linear ramps — the same product evaluate()
// computes (TL30–TL33). The FFmpeg graph (compile.ts) is a mechanical translation of
// this plan, and visual-plan.test.ts checks the plan against evaluate() frame by frame.
//
// Why ramps: FFmpeg's `fade=…:alpha=1` multiplies the alpha plane by exactly
// clamp((t − st)/d, 0, 1) (or its complement), per frame, from the frame timestamp. Every
// factor of TL32/TL33 (clip opacity, fade-in, fade-out, transition weight) is such a ramp
// or a constant, so a chain of fade filters reproduces evaluate() exactly on the 4.1 build,
// which has no xfade.

import type { SnapshotClip, SnapshotTextStyle, SnapshotTransition, TimelineSnapshot } from '@cutline/timeline';
import { firstFrameAtOrAfter, frameUs, intersect, type FrameRange } from './frames.ts';

export type Ramp = { readonly type: 'in' | 'out'; readonly startUs: number; readonly durationUs: number };
/** An extra opacity factor for one frame (the general crossfade case, see crossfadeArrangement). */
export type Keyframe = { readonly frame: number; readonly factor: number };

export type LayerContent =
  | { readonly kind: 'video'; readonly assetId: string; readonly sourceIn: number; readonly speed: number; readonly startUs: number }
  | { readonly kind: 'image'; readonly assetId: string }
  | { readonly kind: 'color'; readonly color: string }
  | { readonly kind: 'text'; readonly text: string; readonly style: SnapshotTextStyle }
  /** The full-frame black of a dip to black. */
  | { readonly kind: 'dip' };

export type LayerTransform = { readonly x: number; readonly y: number; readonly scale: number; readonly rotation: number };

export type LayerPlan = {
  /** `clip:<id>` or `dip:<transitionId>`; unique. */
  readonly key: string;
  readonly clipId: string | null;
  readonly trackId: string;
  readonly content: LayerContent;
  /** Absolute timeline frames the layer is present in, within the render range. */
  readonly frames: FrameRange;
  readonly opacity: number;
  readonly ramps: readonly Ramp[];
  readonly keyframes: readonly Keyframe[];
  /** Incoming wipe: revealed left to right over the transition (TL33). */
  readonly wipe: { readonly beginUs: number; readonly durationUs: number } | null;
  readonly transform: LayerTransform;
};

type Span = { readonly t: SnapshotTransition; readonly beginUs: number; readonly endUs: number; readonly durationUs: number };
type TimedClip = { readonly c: SnapshotClip; readonly startUs: number; readonly endUs: number; readonly fadeInUs: number; readonly fadeOutUs: number };

const us = (seconds: number): number => Math.round(seconds * 1e6);
const IDENTITY: LayerTransform = { x: 0.5, y: 0.5, scale: 1, rotation: 0 };

function timed(c: SnapshotClip): TimedClip {
  const startUs = us(c.start);
  return { c, startUs, endUs: startUs + us(c.duration), fadeInUs: us(c.fadeIn), fadeOutUs: us(c.fadeOut) };
}

/** TL18: centred on the cut, ⌊d/2⌋ before it. */
function spanOf(t: SnapshotTransition, to: TimedClip): Span {
  const durationUs = us(t.duration);
  const before = Math.floor(durationUs / 2);
  return { t, beginUs: to.startUs - before, endUs: to.startUs - before + durationUs, durationUs };
}

/** Clip opacity × fade-in × fade-out at µs `t` (TL32). */
export function clipOpacityAt(c: TimedClip, t: number): number {
  let f = c.c.opacity;
  if (c.fadeInUs > 0) f *= Math.min(1, Math.max(0, (t - c.startUs) / c.fadeInUs));
  if (c.fadeOutUs > 0) f *= Math.min(1, Math.max(0, (c.endUs - t) / c.fadeOutUs));
  return f;
}

function ownRamps(c: TimedClip): Ramp[] {
  const ramps: Ramp[] = [];
  if (c.fadeInUs > 0) ramps.push({ type: 'in', startUs: c.startUs, durationUs: c.fadeInUs });
  if (c.fadeOutUs > 0) ramps.push({ type: 'out', startUs: c.endUs - c.fadeOutUs, durationUs: c.fadeOutUs });
  return ramps;
}

/**
 * How a crossfade pair is composited. TL33 asks for the weighted sum αA·A + αB·B over what
 * is below, but FFmpeg only composites "over" (b·B + (1 − b)·X). B over (A over below)
 * equals the weighted sum when A's alpha is αA / (1 − αB):
 * - B stays fully opaque through the transition (the usual case): that ratio is A's own
 *   opacity, and B fades in with a ramp → `a-under`.
 * - A stays fully opaque: mirror it, A over B, A fades out with a ramp → `b-under`.
 * - neither: A gets the ratio as a per-frame keyframe (sampled at each frame of the
 *   transition, the exact value at that frame) → `general`.
 */
export function crossfadeArrangement(a: TimedClip, b: TimedClip, span: Span): 'a-under' | 'b-under' | 'general' {
  const opaqueB = b.c.opacity === 1 && b.fadeInUs === 0 && (b.fadeOutUs === 0 || b.endUs - b.fadeOutUs >= span.endUs);
  if (opaqueB) return 'a-under';
  const opaqueA = a.c.opacity === 1 && a.fadeOutUs === 0 && (a.fadeInUs === 0 || a.startUs + a.fadeInUs <= span.beginUs);
  return opaqueA ? 'b-under' : 'general';
}

function contentOf(c: SnapshotClip): LayerContent | null {
  switch (c.kind) {
    case 'video':
      return c.assetId === null ? null : { kind: 'video', assetId: c.assetId, sourceIn: c.sourceIn, speed: c.speed, startUs: us(c.start) };
    case 'image':
      return c.assetId === null ? null : { kind: 'image', assetId: c.assetId };
    case 'color':
      return c.color === null ? null : { kind: 'color', color: c.color };
    case 'text':
      return c.text === null || c.style === null ? null : { kind: 'text', text: c.text, style: c.style };
    case 'audio':
      return null;
  }
}

/** Layers bottom to top for the frames in `range` (absolute timeline frame indices). */
export function planVisualLayers({ snapshot, range }: { snapshot: TimelineSnapshot; range: FrameRange }): LayerPlan[] {
  const fps = snapshot.settings.fps;
  const frames = (fromUs: number, toUs: number): FrameRange | null =>
    intersect({ start: firstFrameAtOrAfter(fromUs, fps), end: firstFrameAtOrAfter(toUs, fps) }, range);
  const clips = new Map(snapshot.clips.map((c) => [c.id, timed(c)]));
  const incoming = new Map<string, Span>();
  const outgoing = new Map<string, Span>();
  for (const t of snapshot.transitions) {
    const to = clips.get(t.toClipId);
    if (!to || !clips.has(t.fromClipId)) continue;
    const span = spanOf(t, to);
    incoming.set(t.toClipId, span);
    outgoing.set(t.fromClipId, span);
  }

  const out: LayerPlan[] = [];
  for (const track of snapshot.tracks) {
    if (track.kind === 'audio' || track.hidden) continue;
    const layers: LayerPlan[] = [];
    // [lower key, upper key]: compositing order inside a transition (crossfadeArrangement).
    const above: [string, string][] = [];
    for (const c of snapshot.clips) {
      if (c.trackId !== track.id) continue;
      const clip = clips.get(c.id);
      const content = contentOf(c);
      if (!clip || !content || c.opacity <= 0) continue;
      const inc = incoming.get(c.id) ?? null;
      const outg = outgoing.get(c.id) ?? null;
      const mid = (s: Span) => s.beginUs + s.durationUs / 2;
      const fromUs = inc === null ? clip.startUs : inc.t.kind === 'dipToBlack' ? mid(inc) : inc.beginUs;
      const toUs = outg === null ? clip.endUs : outg.t.kind === 'dipToBlack' ? mid(outg) : outg.endUs;
      const present = frames(fromUs, toUs);
      if (present === null) continue;
      const ramps = ownRamps(clip);
      const keyframes: Keyframe[] = [];
      let wipe: LayerPlan['wipe'] = null;
      const key = `clip:${c.id}`;

      if (inc !== null && inc.t.kind !== 'dipToBlack') {
        const from = clips.get(inc.t.fromClipId);
        if (from && inc.t.kind === 'crossfade') {
          const arrangement = crossfadeArrangement(from, clip, inc);
          if (arrangement !== 'b-under') ramps.push({ type: 'in', startUs: inc.beginUs, durationUs: inc.durationUs });
        }
        if (inc.t.kind === 'wipe') wipe = { beginUs: inc.beginUs, durationUs: inc.durationUs };
      }
      if (outg !== null && outg.t.kind === 'crossfade') {
        const to = clips.get(outg.t.toClipId);
        if (to) {
          const arrangement = crossfadeArrangement(clip, to, outg);
          if (arrangement === 'b-under') ramps.push({ type: 'out', startUs: outg.beginUs, durationUs: outg.durationUs });
          if (arrangement === 'general') {
            const window = frames(outg.beginUs, outg.endUs);
            for (let k = window?.start ?? 0; k < (window?.end ?? 0); k++) {
              const t = frameUs(k, fps);
              const p = (t - outg.beginUs) / outg.durationUs;
              const alphaB = clipOpacityAt(to, t) * p;
              keyframes.push({ frame: k, factor: alphaB >= 1 ? 0 : (1 - p) / (1 - alphaB) });
            }
          }
        }
      }
      layers.push({
        key,
        clipId: c.id,
        trackId: track.id,
        content,
        frames: present,
        opacity: c.opacity,
        ramps,
        keyframes,
        wipe,
        transform: { x: c.x, y: c.y, scale: c.scale, rotation: c.rotation },
      });
    }

    // Transition order constraints and dip layers for this track.
    for (const c of snapshot.clips) {
      const span = c.trackId === track.id ? outgoing.get(c.id) : undefined;
      if (!span) continue;
      const fromKey = `clip:${span.t.fromClipId}`;
      const toKey = `clip:${span.t.toClipId}`;
      if (span.t.kind === 'dipToBlack') {
        const present = frames(span.beginUs, span.endUs);
        if (present === null) continue;
        const half = span.durationUs / 2;
        const key = `dip:${span.t.id}`;
        layers.push({
          key,
          clipId: null,
          trackId: track.id,
          content: { kind: 'dip' },
          frames: present,
          opacity: 1,
          ramps: [
            { type: 'in', startUs: span.beginUs, durationUs: half },
            { type: 'out', startUs: span.beginUs + half, durationUs: half },
          ],
          keyframes: [],
          wipe: null,
          transform: IDENTITY,
        });
        above.push([fromKey, key], [toKey, key]);
        continue;
      }
      const from = clips.get(span.t.fromClipId);
      const to = clips.get(span.t.toClipId);
      if (!from || !to) continue;
      const bUnder = span.t.kind === 'crossfade' && crossfadeArrangement(from, to, span) === 'b-under';
      above.push(bUnder ? [toKey, fromKey] : [fromKey, toKey]);
    }
    out.push(...orderLayers(layers, above));
  }
  return out;
}

/** Time order, adjusted so that every [lower, upper] pair holds (Kahn's algorithm, stable). */
function orderLayers(layers: LayerPlan[], above: [string, string][]): LayerPlan[] {
  const index = new Map(layers.map((l, i) => [l.key, i]));
  const indegree = layers.map(() => 0);
  const next = layers.map((): number[] => []);
  for (const [lower, upper] of above) {
    const lo = index.get(lower);
    const up = index.get(upper);
    if (lo === undefined || up === undefined) continue;
    next[lo]?.push(up);
    indegree[up] = (indegree[up] ?? 0) + 1;
  }
  const ready = layers.map((_, i) => i).filter((i) => indegree[i] === 0);
  const result: LayerPlan[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift() as number;
    result.push(layers[i] as LayerPlan);
    for (const j of next[i] ?? []) {
      indegree[j] = (indegree[j] ?? 0) - 1;
      if (indegree[j] === 0) ready.push(j);
    }
  }
  // Constraints only join neighbours of one chain of clips, so there is never a cycle.
  if (result.length !== layers.length) throw new Error('visual plan: cyclic layer order');
  return result;
}

/** The layer's alpha at frame k as the graph computes it: constant × ramps × keyframe. */
export function layerAlphaAt(layer: LayerPlan, k: number, fps: { num: number; den: number }): number {
  if (k < layer.frames.start || k >= layer.frames.end) return 0;
  // fade filters see the frame timestamp k·den/num seconds.
  const t = (k * fps.den * 1e6) / fps.num;
  let alpha = layer.opacity;
  for (const r of layer.ramps) {
    const p = r.durationUs > 0 ? Math.min(1, Math.max(0, (t - r.startUs) / r.durationUs)) : t < r.startUs ? 0 : 1;
    alpha *= r.type === 'in' ? p : 1 - p;
  }
  for (const kf of layer.keyframes) if (kf.frame === k) alpha *= kf.factor;
  return alpha;
}
