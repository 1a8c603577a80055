import type * as Y from 'yjs';
import { applyCommands, checkInvariants, originFor, snapshot, TimelineError, type TimelineCommand } from '@cutline/timeline';

/** mulberry32: a seeded PRNG, so a failing run can be replayed from the seed it prints. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
const seconds = (random: () => number, max: number) => Math.round(random() * max * 10) / 10;

/** A random timeline command that makes sense for what `doc` holds now (it may still conflict). */
export function randomCommand(random: () => number, doc: Y.Doc): TimelineCommand {
  const snap = snapshot(doc);
  const videoTracks = snap.tracks.filter((t) => t.kind === 'video');
  const clip = pick(random, snap.clips);
  const roll = random();
  if (videoTracks.length === 0 || roll < 0.08) return { type: 'addTrack', kind: 'video', name: `V${snap.tracks.length + 1}` };
  if (roll < 0.4 || !clip) {
    const track = pick(random, videoTracks);
    return { type: 'addColorClip', trackId: track?.id ?? '', color: pick(random, ['#ff0000', '#00ff00', '#0000ff']) ?? '#000000', start: seconds(random, 120), duration: 0.5 + seconds(random, 3) };
  }
  if (roll < 0.55) return { type: 'moveClip', clipId: clip.id, start: seconds(random, 120) };
  if (roll < 0.7) return { type: 'updateClip', clipId: clip.id, opacity: Math.round(random() * 100) / 100 };
  if (roll < 0.78) return { type: 'removeClip', clipId: clip.id };
  if (roll < 0.86) return { type: 'trimClip', clipId: clip.id, edge: 'end', to: clip.start + 0.2 + seconds(random, 2) };
  if (roll < 0.93) return { type: 'addMarker', time: seconds(random, 100), label: `m${Math.floor(random() * 1000)}` };
  return { type: 'setSettings', background: pick(random, ['#000000', '#101010', '#202020']) ?? '#000000' };
}

/** Applies one random command as `userId`; a refused command (conflict, unknown id …) changes nothing. */
export function randomEdit(random: () => number, doc: Y.Doc, userId: string): boolean {
  try {
    applyCommands(doc, [randomCommand(random, doc)], originFor('user', userId));
    return true;
  } catch (error) {
    if (error instanceof TimelineError) return false;
    throw error;
  }
}

/** The merged timeline as JSON plus its invariant check, for comparing replicas. */
export function timelineJson(doc: Y.Doc): { json: string; problems: string[] } {
  const snap = snapshot(doc);
  return { json: JSON.stringify(snap), problems: checkInvariants(snap) };
}
