// `audioPlan(snapshot)`: every piece of audio the final mix needs (TL35). A render turns
// each segment into trim → atempo → volume/afade → adelay and mixes them with amix.

import type { EvalClip, EvalTransition } from './eval-index.ts';
import { evalIndex } from './eval-index.ts';
import type { TimelineSnapshot } from './snapshot.ts';

/** Gain goes linearly from `from` to `to` over [start, end]; holds `from` before, `to` after. */
export interface AudioRamp {
  readonly start: number;
  readonly end: number;
  readonly from: number;
  readonly to: number;
}

export interface AudioSegment {
  readonly clipId: string;
  readonly trackId: string;
  readonly assetId: string;
  /** Timeline seconds the segment plays, including transition handles. */
  readonly start: number;
  readonly end: number;
  /** Source seconds at `start` and `end`. */
  readonly sourceIn: number;
  readonly sourceOut: number;
  readonly speed: number;
  readonly volume: number;
  /** The clip's own span; fades are measured from these edges. */
  readonly clipStart: number;
  readonly clipEnd: number;
  readonly fadeIn: number;
  readonly fadeOut: number;
  /** Transition ramps, multiplied with volume and fades. */
  readonly ramps: readonly AudioRamp[];
}

const sec = (us: number): number => us / 1e6;

function ramps(c: EvalClip): AudioRamp[] {
  const out: AudioRamp[] = [];
  const add = (tr: EvalTransition, role: 'from' | 'to'): void => {
    const begin = sec(tr.begin);
    const end = sec(tr.end);
    if (tr.t.kind === 'dipToBlack') {
      const mid = sec(tr.begin + tr.duration / 2);
      out.push(role === 'from' ? { start: begin, end: mid, from: 1, to: 0 } : { start: mid, end, from: 0, to: 1 });
    } else {
      out.push(role === 'from' ? { start: begin, end, from: 1, to: 0 } : { start: begin, end, from: 0, to: 1 });
    }
  };
  if (c.incoming !== null) add(c.incoming, 'to');
  if (c.outgoing !== null) add(c.outgoing, 'from');
  return out;
}

/** Gain of a segment at timeline second `t` (the same numbers evaluate() reports). */
export function audioSegmentGain(seg: AudioSegment, t: number): number {
  if (t < seg.start || t >= seg.end) return 0;
  let g = seg.volume;
  if (seg.fadeIn > 0) g *= Math.min(1, Math.max(0, (t - seg.clipStart) / seg.fadeIn));
  if (seg.fadeOut > 0) g *= Math.min(1, Math.max(0, (seg.clipEnd - t) / seg.fadeOut));
  for (const r of seg.ramps) {
    const p = r.end > r.start ? Math.min(1, Math.max(0, (t - r.start) / (r.end - r.start))) : t < r.start ? 0 : 1;
    g *= r.from + (r.to - r.from) * p;
  }
  return g;
}

/** Audio segments in track order (bottom to top), then by time; muted tracks skipped. */
export function audioPlan(snap: TimelineSnapshot): AudioSegment[] {
  const index = evalIndex(snap);
  const out: AudioSegment[] = [];
  for (const track of index.tracks) {
    if (track.track.muted) continue;
    for (const c of track.clips) {
      if (!c.hasAudio || c.c.assetId === null) continue;
      const start = c.incoming === null ? c.start : c.incoming.begin;
      const end = c.outgoing === null ? c.end : c.outgoing.end;
      const speed = c.c.speed;
      out.push({
        clipId: c.c.id,
        trackId: c.c.trackId,
        assetId: c.c.assetId,
        start: sec(start),
        end: sec(end),
        sourceIn: c.c.sourceIn + sec(start - c.start) * speed,
        sourceOut: c.c.sourceIn + sec(end - c.start) * speed,
        speed,
        volume: c.c.volume,
        clipStart: sec(c.start),
        clipEnd: sec(c.end),
        fadeIn: sec(c.fadeIn),
        fadeOut: sec(c.fadeOut),
        ramps: ramps(c),
      });
    }
  }
  return out;
}
