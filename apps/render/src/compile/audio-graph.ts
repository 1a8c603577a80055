// The mix, straight from audioPlan() (TL35): every audible clip segment is cut from its
// source, sped up or slowed down, resampled to the project rate, given its gain (volume ×
// fades × transition ramps, the product audioSegmentGain computes) and placed at its exact
// sample position; then all segments are summed.

import { audioPlan, type AudioSegment, type TimelineSnapshot } from '@cutline/timeline';
import { formatNumber, seconds } from './frames.ts';

export type AudioPiece = {
  readonly segment: AudioSegment;
  /** Timeline µs of the part inside the render range. */
  readonly fromUs: number;
  readonly toUs: number;
  /** Source seconds at fromUs / toUs. */
  readonly sourceFrom: number;
  readonly sourceTo: number;
  /** Absolute timeline sample index of the first sample, and the sample count. */
  readonly firstSample: number;
  readonly samples: number;
};

const us = (s: number): number => Math.round(s * 1e6);
export const sampleAt = (timeUs: number, rate: number): number => Math.round((timeUs * rate) / 1e6);

/** The audioPlan segments that sound inside [startUs, endUs), cut to it. */
export function planAudio({ snapshot, startUs, endUs }: { snapshot: TimelineSnapshot; startUs: number; endUs: number }): AudioPiece[] {
  const rate = snapshot.settings.sampleRate;
  const pieces: AudioPiece[] = [];
  for (const segment of audioPlan(snapshot)) {
    if (segment.volume <= 0) continue;
    const fromUs = Math.max(us(segment.start), startUs);
    const toUs = Math.min(us(segment.end), endUs);
    const firstSample = sampleAt(fromUs, rate);
    const samples = sampleAt(toUs, rate) - firstSample;
    if (samples <= 0) continue;
    const sourceFrom = segment.sourceIn + ((fromUs - us(segment.start)) / 1e6) * segment.speed;
    const sourceTo = sourceFrom + ((toUs - fromUs) / 1e6) * segment.speed;
    pieces.push({ segment, fromUs, toUs, sourceFrom, sourceTo, firstSample, samples });
  }
  return pieces;
}

/**
 * atempo factors for a speed: FFmpeg 4.1's atempo is documented for 0.5–2 (later builds
 * accept more but skip audio beyond 2×), so 0.25–4 is a chain of at most two steps.
 */
export function atempoChain(speed: number): number[] {
  const steps: number[] = [];
  let rest = speed;
  while (rest > 2 + 1e-9) {
    steps.push(2);
    rest /= 2;
  }
  while (rest < 0.5 - 1e-9) {
    steps.push(0.5);
    rest /= 0.5;
  }
  if (Math.abs(rest - 1) > 1e-9) steps.push(rest);
  return steps;
}

export type AudioGraph = { inputs: { path: string; options: string[] }[]; chains: string[]; output: string };

/**
 * Filter chains for the mix. `inputIndex(path, options)` registers an input and returns
 * its index; the result ends in the label `output` holding exactly `total` samples of
 * stereo float audio at the project rate, sample 0 being the range start.
 */
export function audioChains({
  pieces,
  rate,
  startUs,
  endUs,
  pathOf,
  addInput,
  output,
}: {
  pieces: readonly AudioPiece[];
  rate: number;
  startUs: number;
  endUs: number;
  pathOf: (assetId: string) => string;
  addInput: (path: string, options: string[]) => number;
  output: string;
}): string[] {
  const chains: string[] = [];
  const rangeFirst = sampleAt(startUs, rate);
  const total = sampleAt(endUs, rate) - rangeFirst;
  const stereo = `aformat=sample_fmts=fltp:sample_rates=${rate}:channel_layouts=stereo`;
  const labels: string[] = [];
  pieces.forEach((piece, i) => {
    const seg = piece.segment;
    // Seek a second early and cut exactly with atrim: demuxers seek to a packet before the
    // point anyway, and AAC/MP3 decoders need a few frames to settle after a seek.
    const seekTo = Math.max(0, piece.sourceFrom - 1);
    const span = piece.sourceTo - seekTo + 1;
    const input = addInput(pathOf(seg.assetId), [...(seekTo > 0 ? ['-ss', formatNumber(seekTo)] : []), '-t', formatNumber(span)]);
    const filters = [
      `atrim=start=${formatNumber(piece.sourceFrom - seekTo)}:end=${formatNumber(piece.sourceTo - seekTo)}`,
      'asetpts=PTS-STARTPTS',
      ...atempoChain(seg.speed).map((step) => `atempo=${formatNumber(step)}`),
      // Resampling after atempo: it then works at the source rate, and the mix at the
      // project's (TL1 sampleRate). aformat also up/down-mixes any layout to stereo.
      `aresample=${rate}`,
      stereo,
      // atempo's output length is only close to input/speed: pad and cut to the exact count.
      'apad',
      `atrim=end_sample=${piece.samples}`,
      // Timestamps in samples (time base 1/rate) on the absolute timeline, so afade's
      // start times are timeline times and never negative.
      `asetpts=N+${piece.firstSample}`,
      ...(seg.volume !== 1 ? [`volume=${formatNumber(seg.volume)}:precision=float`] : []),
      ...gainRamps(seg).map((r) => `afade=t=${r.type}:st=${seconds(r.startUs)}:d=${seconds(r.durationUs)}:curve=tri`),
      'asetpts=PTS-STARTPTS',
    ];
    const offset = piece.firstSample - rangeFirst;
    const label = `a${i}`;
    if (offset > 0) {
      chains.push(`[${input}:a:0]${filters.join(',')}[${label}p]`);
      // Silence before the piece, then the piece: concat is sample exact (adelay counts
      // in float milliseconds on 4.1).
      chains.push(`anullsrc=r=${rate}:cl=stereo,${stereo},atrim=end_sample=${offset}[${label}s]`);
      chains.push(`[${label}s][${label}p]concat=n=2:v=0:a=1,apad=whole_len=${total},atrim=end_sample=${total}[${label}]`);
    } else {
      chains.push(`[${input}:a:0]${[...filters, `apad=whole_len=${total}`, `atrim=end_sample=${total}`].join(',')}[${label}]`);
    }
    labels.push(label);
  });
  if (labels.length === 0) {
    chains.push(`anullsrc=r=${rate}:cl=stereo,${stereo},atrim=end_sample=${total}[${output}]`);
  } else if (labels.length === 1) {
    chains.push(`[${labels[0]}]anull[${output}]`);
  } else {
    // amix divides every input by the number of inputs (its "normalisation"); all inputs
    // have the same length here, so volume=n restores a plain sum (TL35 gains add up).
    chains.push(`${labels.map((l) => `[${l}]`).join('')}amix=inputs=${labels.length}:duration=longest:dropout_transition=0,volume=${labels.length}:precision=float[${output}]`);
  }
  return chains;
}

type GainRamp = { type: 'in' | 'out'; startUs: number; durationUs: number };

/** The clip's fades (from its own edges) and transition ramps (TL35), as afade steps. */
export function gainRamps(seg: AudioSegment): GainRamp[] {
  const ramps: GainRamp[] = [];
  if (seg.fadeIn > 0) ramps.push({ type: 'in', startUs: us(seg.clipStart), durationUs: us(seg.fadeIn) });
  if (seg.fadeOut > 0) ramps.push({ type: 'out', startUs: us(seg.clipEnd) - us(seg.fadeOut), durationUs: us(seg.fadeOut) });
  for (const r of seg.ramps) {
    const durationUs = us(r.end) - us(r.start);
    if (durationUs <= 0) continue;
    if (r.from === 0 && r.to === 1) ramps.push({ type: 'in', startUs: us(r.start), durationUs });
    else if (r.from === 1 && r.to === 0) ramps.push({ type: 'out', startUs: us(r.start), durationUs });
    else throw new Error(`audio ramp from ${r.from} to ${r.to} has no afade equivalent`);
  }
  return ramps;
}
