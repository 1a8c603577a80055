// `evaluate(snapshot, t)`: what is on screen and audible at time t (TL30–TL35). Preview
// and render both use it, so they cannot disagree about the edit.

import type { EvalClip, EvalTransition } from './eval-index.ts';
import { activeTransition, clipAt, evalIndex, fadeFactor } from './eval-index.ts';
import type { TransitionKind } from './model.ts';
import type { SnapshotTextStyle, TimelineSnapshot } from './snapshot.ts';
import { secondsToMicros } from './time.ts';

export interface LayerTransform {
  /** Centre, as a fraction of the frame width (0 = left edge). */
  readonly x: number;
  /** Centre, as a fraction of the frame height (0 = top edge). */
  readonly y: number;
  /** 1 = fitted inside the frame keeping aspect ratio. */
  readonly scale: number;
  /** Degrees, clockwise. */
  readonly rotation: number;
}

export interface LayerTransition {
  readonly id: string;
  readonly kind: TransitionKind;
  /** `from`/`to`: the outgoing/incoming clip; `dip`: the black layer of a dip to black. */
  readonly role: 'from' | 'to' | 'dip';
  /** 0 at the transition start, 1 at its end. */
  readonly progress: number;
}

export interface Layer {
  /** null only for the black layer of a dip to black. */
  readonly clipId: string | null;
  readonly trackId: string;
  readonly kind: 'video' | 'image' | 'text' | 'color';
  readonly assetId: string | null;
  /** Seconds into the source media (video only). */
  readonly sourceTime: number | null;
  /** Final opacity: clip opacity × fades × transition (TL32, TL33). */
  readonly opacity: number;
  readonly transform: LayerTransform;
  readonly text: string | null;
  readonly style: SnapshotTextStyle | null;
  readonly color: string | null;
  readonly transition: LayerTransition | null;
}

export interface AudioSource {
  readonly clipId: string;
  readonly trackId: string;
  readonly assetId: string;
  /** Seconds into the source media. */
  readonly sourceTime: number;
  readonly speed: number;
  /** volume × fades × transition (TL34). */
  readonly gain: number;
}

export interface Frame {
  /** The evaluated time, seconds, as quantised to whole µs. */
  readonly time: number;
  /** Shown wherever no layer covers the frame (TL30). */
  readonly background: string;
  /** Bottom to top. */
  readonly layers: Layer[];
  readonly audio: AudioSource[];
}

const IDENTITY: LayerTransform = Object.freeze({ x: 0.5, y: 0.5, scale: 1, rotation: 0 });

/** Source seconds of clip `c` at timeline µs `t` (TL31: sourceIn + elapsed × speed). */
export function sourceTimeAt(c: EvalClip, t: number): number {
  return c.c.sourceIn + ((t - c.start) / 1e6) * c.c.speed;
}

function layerOf(c: EvalClip, t: number, opacity: number, transition: LayerTransition | null): Layer {
  const clip = c.c;
  return {
    clipId: clip.id,
    trackId: clip.trackId,
    kind: clip.kind === 'audio' ? 'video' : clip.kind,
    assetId: clip.assetId,
    sourceTime: clip.kind === 'video' ? sourceTimeAt(c, t) : null,
    opacity,
    transform: { x: clip.x, y: clip.y, scale: clip.scale, rotation: clip.rotation },
    text: clip.text,
    style: clip.style,
    color: clip.color,
    transition,
  };
}

/**
 * Transition weights at progress p (TL33): [outgoing, incoming] multipliers for opacity
 * and gain. Crossfade and wipe audio fade linearly; a dip plays the outgoing clip in the
 * first half and the incoming one in the second.
 */
export function transitionWeights(kind: TransitionKind, p: number): { from: number; to: number; black: number } {
  switch (kind) {
    case 'crossfade':
      return { from: 1 - p, to: p, black: 0 };
    case 'wipe':
      return { from: 1 - p, to: p, black: 0 };
    case 'dipToBlack':
      return p < 0.5 ? { from: 1 - 2 * p, to: 0, black: 2 * p } : { from: 0, to: 2 * p - 1, black: 2 - 2 * p };
  }
}

function progress(tr: EvalTransition, t: number): number {
  return (t - tr.begin) / tr.duration;
}

function visualLayers(out: Layer[], c: EvalClip, t: number): void {
  const tr = activeTransition(c, t);
  if (tr === null) {
    const opacity = c.c.opacity * fadeFactor(c, t);
    if (opacity > 0) out.push(layerOf(c, t, opacity, null));
    return;
  }
  const p = progress(tr, t);
  const base = { id: tr.t.id, kind: tr.t.kind, progress: p };
  const fromOpacity = tr.from.c.opacity * fadeFactor(tr.from, t);
  const toOpacity = tr.to.c.opacity * fadeFactor(tr.to, t);
  const push = (o: number, layer: () => Layer): void => {
    if (o > 0) out.push(layer());
  };
  switch (tr.t.kind) {
    case 'crossfade': {
      // A weighted-sum pair: compositors blend from·α₁ + to·α₂ (TL33), not "over".
      push(fromOpacity * (1 - p), () => layerOf(tr.from, t, fromOpacity * (1 - p), { ...base, role: 'from' }));
      push(toOpacity * p, () => layerOf(tr.to, t, toOpacity * p, { ...base, role: 'to' }));
      return;
    }
    case 'wipe': {
      // The incoming clip is revealed left to right over `progress` of its width.
      push(fromOpacity, () => layerOf(tr.from, t, fromOpacity, { ...base, role: 'from' }));
      push(toOpacity, () => layerOf(tr.to, t, toOpacity, { ...base, role: 'to' }));
      return;
    }
    case 'dipToBlack': {
      const w = transitionWeights('dipToBlack', p);
      const [clip, opacity, role] = p < 0.5 ? [tr.from, fromOpacity, 'from' as const] : [tr.to, toOpacity, 'to' as const];
      push(opacity, () => layerOf(clip, t, opacity, { ...base, role }));
      push(w.black, () => ({
        clipId: null,
        trackId: c.c.trackId,
        kind: 'color',
        assetId: null,
        sourceTime: null,
        opacity: w.black,
        transform: IDENTITY,
        text: null,
        style: null,
        color: '#000000',
        transition: { ...base, role: 'dip' },
      }));
      return;
    }
  }
}

function audioOf(out: AudioSource[], c: EvalClip, t: number, weight: number): void {
  if (!c.hasAudio || c.c.assetId === null) return;
  const gain = c.c.volume * fadeFactor(c, t) * weight;
  if (gain <= 0) return;
  out.push({ clipId: c.c.id, trackId: c.c.trackId, assetId: c.c.assetId, sourceTime: sourceTimeAt(c, t), speed: c.c.speed, gain });
}

function audioSources(out: AudioSource[], c: EvalClip, t: number): void {
  const tr = activeTransition(c, t);
  if (tr === null) return audioOf(out, c, t, 1);
  const w = transitionWeights(tr.t.kind, progress(tr, t));
  audioOf(out, tr.from, t, w.from);
  audioOf(out, tr.to, t, w.to);
}

/**
 * What is visible and audible at `t` seconds (quantised to whole µs, TL30): layers bottom
 * to top (hidden tracks skipped) and audio sources with their gain (muted tracks skipped).
 */
export function evaluate(snap: TimelineSnapshot, t: number): Frame {
  const index = evalIndex(snap);
  const us = secondsToMicros(t);
  const layers: Layer[] = [];
  const audio: AudioSource[] = [];
  for (const track of index.tracks) {
    const c = clipAt(track, us);
    if (c === undefined) continue;
    if (!track.track.hidden && track.track.kind !== 'audio') visualLayers(layers, c, us);
    if (!track.track.muted) audioSources(audio, c, us);
  }
  return { time: us / 1e6, background: snap.settings.background, layers, audio };
}
