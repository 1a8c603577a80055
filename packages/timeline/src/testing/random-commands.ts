// Random timeline commands for the convergence tests: mostly valid for the peer's current
// state (so edits actually collide), sometimes invalid (which must change nothing).

import type { PRNG } from 'lib0/prng';
import { bool, int32, oneOf, real53 } from 'lib0/prng';
import type { TimelineSnapshot } from '../snapshot.ts';
import { FONT_FAMILIES, TRANSITION_KINDS } from '../model.ts';

type Cmd = Record<string, unknown>;

const COLORS = ['#ff0000', '#00ff00', '#0000ff', '#ffffff80'];

function time(gen: PRNG, max = 12): number {
  // Coarse steps make exact collisions (same start, touching clips) common.
  return bool(gen) ? int32(gen, 0, max * 4) / 4 : Math.round(real53(gen) * max * 1000) / 1000;
}

function pick<T>(gen: PRNG, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : oneOf(gen, items as T[]);
}

/** A shared starting timeline, so peers edit (and collide on) content from the start. */
export const SEED_COMMANDS: readonly Cmd[] = [
  { type: 'addTrack', kind: 'video' },
  { type: 'addTrack', kind: 'video' },
  { type: 'addTrack', kind: 'text' },
  { type: 'addTrack', kind: 'audio' },
  { type: 'registerAsset', kind: 'video', duration: 60, hasAudio: true },
  { type: 'registerAsset', kind: 'audio', duration: 60 },
  { type: 'registerAsset', kind: 'image' },
  { type: 'addClip', trackId: '$0.trackId', assetId: '$4.assetId', start: 0, duration: 3, sourceIn: 5 },
  { type: 'addClip', trackId: '$0.trackId', assetId: '$4.assetId', start: 3, duration: 3, sourceIn: 5 },
  { type: 'addClip', trackId: '$0.trackId', assetId: '$6.assetId', start: 6, duration: 3 },
  { type: 'addTransition', fromClipId: '$7.clipId', toClipId: '$8.clipId', kind: 'crossfade', duration: 1 },
  { type: 'addColorClip', trackId: '$1.trackId', color: '#ff0000', start: 2, duration: 3 },
  { type: 'addTextClip', trackId: '$2.trackId', text: 'Title', start: 1, duration: 3 },
  { type: 'addClip', trackId: '$3.trackId', assetId: '$5.assetId', start: 0, duration: 8 },
];

function addClipOn(gen: PRNG, s: TimelineSnapshot, trackId: string, kind: string): Cmd {
  const start = time(gen);
  const duration = 0.5 + int32(gen, 0, 12) / 4;
  if (kind === 'audio') {
    const a = pick(
      gen,
      s.assets.filter((x) => x.kind !== 'image'),
    );
    return a === undefined ? { type: 'addMarker', time: start } : { type: 'addClip', trackId, assetId: a.id, start, duration, sourceIn: int32(gen, 0, 3) };
  }
  switch (int32(gen, 0, 3)) {
    case 0:
      return { type: 'addColorClip', trackId, color: oneOf(gen, COLORS), start, duration };
    case 1:
      return { type: 'addTextClip', trackId, text: `t${int32(gen, 0, 9)}`, start, duration, style: { fontFamily: oneOf(gen, [...FONT_FAMILIES]) } };
    default: {
      const a = pick(
        gen,
        s.assets.filter((x) => x.kind !== 'audio'),
      );
      if (a === undefined) return { type: 'addColorClip', trackId, color: '#000000', start, duration };
      return { type: 'addClip', trackId, assetId: a.id, start, ...(a.kind === 'image' || bool(gen) ? { duration } : {}), ...(a.kind === 'image' ? {} : { sourceIn: int32(gen, 0, 3) }) };
    }
  }
}

/** One random command (or a small batch) for a peer whose timeline is `s`. */
export function randomCommand(gen: PRNG, s: TimelineSnapshot): Cmd | Cmd[] {
  const clip = pick(gen, s.clips);
  const track = pick(gen, s.tracks);
  const media = s.assets.filter((a) => a.kind !== 'image');
  const roll = int32(gen, 0, 99);
  if (track === undefined || roll < 2) return { type: 'addTrack', kind: oneOf(gen, ['video', 'video', 'audio', 'text']), ...(bool(gen) ? { index: int32(gen, 0, s.tracks.length) } : {}) };
  if (roll < 3) return { type: 'removeTrack', trackId: track.id };
  if (roll < 5) {
    const kind = oneOf(gen, ['video', 'audio', 'image'] as const);
    return { type: 'registerAsset', kind, ...(kind === 'image' ? {} : { duration: 5 + int32(gen, 0, 40), ...(kind === 'video' ? { hasAudio: bool(gen) } : {}) }) };
  }
  if (roll < 8) {
    const field = oneOf(gen, ['muted', 'hidden', 'locked', 'index', 'name']);
    const value = field === 'index' ? int32(gen, 0, s.tracks.length - 1) : field === 'name' ? `T${int32(gen, 0, 99)}` : field === 'locked' ? real53(gen) < 0.3 : bool(gen);
    return { type: 'updateTrack', trackId: track.id, [field]: value };
  }
  if (clip === undefined || roll < 30) return addClipOn(gen, s, track.id, track.kind);
  const end = clip.start + clip.duration;
  if (roll < 45) {
    const kind = s.tracks.find((x) => x.id === clip.trackId)?.kind;
    const other = pick(
      gen,
      s.tracks.filter((t) => t.kind === kind),
    );
    // Often right after another clip, so transitions can follow.
    const neighbour = pick(gen, s.clips);
    const start = neighbour !== undefined && bool(gen) ? neighbour.start + neighbour.duration : time(gen);
    return { type: 'moveClip', clipId: clip.id, start, ...(other !== undefined && bool(gen) ? { trackId: other.id } : {}) };
  }
  if (roll < 53) return { type: 'trimClip', clipId: clip.id, edge: bool(gen) ? 'start' : 'end', to: Math.max(0, clip.start + (real53(gen) - 0.3) * clip.duration * 1.5) };
  if (roll < 59) return { type: 'splitClip', clipId: clip.id, at: clip.start + real53(gen) * clip.duration };
  if (roll < 62) return { type: 'removeClip', clipId: clip.id };
  if (roll < 64) return { type: 'rippleDelete', clipId: clip.id };
  if (roll < 74) {
    const fields: Cmd = { type: 'updateClip', clipId: clip.id };
    const media = clip.kind === 'video' || clip.kind === 'audio';
    const options = [
      'fadeIn',
      'fadeOut',
      ...(clip.kind !== 'audio' ? ['opacity', 'x'] : []),
      ...(media ? ['volume', 'speed', 'sourceIn'] : []),
      ...(clip.kind === 'text' ? ['text', 'style'] : []),
      ...(clip.kind === 'color' ? ['color'] : []),
    ];
    const f = oneOf(gen, options);
    if (f === 'opacity') fields['opacity'] = real53(gen);
    if (f === 'volume') fields['volume'] = real53(gen) * 2;
    if (f === 'fadeIn' || f === 'fadeOut') fields[f] = real53(gen) * clip.duration * 0.6;
    if (f === 'speed') fields['speed'] = oneOf(gen, [0.5, 1, 1.5, 2]);
    if (f === 'sourceIn') fields['sourceIn'] = int32(gen, 0, 4);
    if (f === 'x') fields['x'] = real53(gen);
    if (f === 'text') fields['text'] = `edit ${int32(gen, 0, 9)}`;
    if (f === 'color') fields['color'] = oneOf(gen, COLORS);
    if (f === 'style') fields['style'] = { fontSize: 10 + int32(gen, 0, 90), background: bool(gen) ? null : { color: '#000000' } };
    return fields;
  }
  if (roll < 86) {
    const next = s.clips.find((c) => c.trackId === clip.trackId && Math.abs(c.start - end) < 1e-9);
    if (next !== undefined) {
      return { type: 'addTransition', fromClipId: clip.id, toClipId: next.id, kind: oneOf(gen, [...TRANSITION_KINDS]), duration: 0.2 + int32(gen, 0, 8) / 4 };
    }
    // A batch: a clip right after this one, then a transition onto it (refs).
    return [
      { type: 'addColorClip', trackId: clip.trackId, color: '#123456', start: end, duration: 1 + int32(gen, 0, 4) },
      { type: 'addTransition', fromClipId: clip.id, toClipId: '$0.clipId', kind: 'dipToBlack', duration: 0.5 },
    ];
  }
  if (roll < 89) {
    const t = pick(gen, s.transitions);
    if (t !== undefined) return { type: 'removeTransition', transitionId: t.id };
  }
  if (roll < 92) return { type: 'addMarker', time: time(gen), label: 'm' };
  if (roll < 93) {
    const m = pick(gen, s.markers);
    if (m !== undefined) return { type: 'removeMarker', markerId: m.id };
  }
  if (roll < 95) {
    const a = pick(gen, media);
    if (a !== undefined) return { type: 'updateAsset', assetId: a.id, duration: 3 + int32(gen, 0, 40) };
  }
  if (roll < 96) return { type: 'setSettings', fps: oneOf(gen, [{ num: 24000, den: 1001 }, { num: 30000, den: 1001 }, { num: 25, den: 1 }]) };
  // Deliberately invalid: must be rejected without changing anything.
  return oneOf(gen, [
    { type: 'moveClip', clipId: 'ghost', start: 1 },
    { type: 'updateClip', clipId: clip.id, opacity: 2 },
    { type: 'addTrack', kind: 'video', index: 999 },
    { type: 'splitClip', clipId: clip.id, at: clip.start },
  ] as Cmd[]);
}
