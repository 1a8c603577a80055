// Builds a 10,000-clip timeline and measures the operations the editor and render farm
// depend on. Prints one final line: RESULT {...}. Targets (issue 3): snapshot < 50 ms,
// command < 1 ms median, load < 100 ms, evaluate < 200 µs median. `baselineLoadMs` is the
// same load of the same timeline stored in the pre-TL4a layout, measured in this run.

import * as Y from 'yjs';
import { applyCommand, applyCommands, createId, createTimelineDoc, evaluate, originFor, snapshot } from '../src/index.ts';
import type { TimelineCommand, TimelineSnapshot } from '../src/index.ts';
import { toLegacyLayout } from '../src/testing/legacy-layout.ts';

const VIDEO_TRACKS = 8;
const AUDIO_TRACKS = 2;
const CLIPS_PER_TRACK = 1000;
const CLIP_SECONDS = 2;
const origin = originFor('user', 'bench');
const ids = createId;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const doc = createTimelineDoc({ settings: { fps: { num: 30000, den: 1001 } } });
applyCommands(
  doc,
  [
    { type: 'registerAsset', assetId: 'video-asset', kind: 'video', duration: 86_400, width: 1920, height: 1080, hasAudio: true, fps: { num: 30000, den: 1001 } },
    { type: 'registerAsset', assetId: 'audio-asset', kind: 'audio', duration: 86_400 },
  ],
  origin,
  { ids },
);
const trackIds: string[] = [];
for (let i = 0; i < VIDEO_TRACKS + AUDIO_TRACKS; i++) {
  const r = applyCommand(doc, { type: 'addTrack', kind: i < VIDEO_TRACKS ? 'video' : 'audio' }, origin, { ids }) as { trackId: string };
  trackIds.push(r.trackId);
}
const clipIds: string[][] = [];
trackIds.forEach((trackId, ti) => {
  const batch: TimelineCommand[] = [];
  for (let k = 0; k < CLIPS_PER_TRACK; k++) {
    batch.push({
      type: 'addClip',
      trackId,
      assetId: ti < VIDEO_TRACKS ? 'video-asset' : 'audio-asset',
      start: k * CLIP_SECONDS,
      duration: CLIP_SECONDS,
      sourceIn: 10 + k,
    });
  }
  const results = applyCommands(doc, batch, origin, { ids }) as Array<{ clipId: string }>;
  clipIds.push(results.map((r) => r.clipId));
  // A crossfade at every 10th cut.
  const transitions: TimelineCommand[] = [];
  for (let k = 0; k + 1 < CLIPS_PER_TRACK; k += 10) {
    transitions.push({ type: 'addTransition', fromClipId: results[k]?.clipId ?? '', toClipId: results[k + 1]?.clipId ?? '', kind: 'crossfade', duration: 0.5 });
  }
  applyCommands(doc, transitions, origin, { ids });
});

// Commands on the 10k doc: alternate moveClip (into free space at the end of a track) and updateClip.
const commandTimes: number[] = [];
for (let i = 0; i < 400; i++) {
  const ti = i % VIDEO_TRACKS;
  const clipId = clipIds[ti]?.[500 + (i % 50) * 2] ?? '';
  const cmd: TimelineCommand =
    i % 2 === 0
      ? { type: 'moveClip', clipId, start: CLIPS_PER_TRACK * CLIP_SECONDS + 10 + i * CLIP_SECONDS }
      : { type: 'updateClip', clipId, opacity: (i % 10) / 10, x: 0.4 };
  const t0 = performance.now();
  applyCommand(doc, cmd, origin, { ids });
  commandTimes.push(performance.now() - t0);
}

// Snapshot after a change (the memo would otherwise return the cached object).
const snapshotTimes: number[] = [];
for (let i = 0; i < 15; i++) {
  applyCommand(doc, { type: 'updateClip', clipId: clipIds[0]?.[i] ?? '', volume: 0.5 + i / 100 }, origin, { ids });
  const t0 = performance.now();
  snapshot(doc);
  snapshotTimes.push(performance.now() - t0);
}
const snap = snapshot(doc);

const encoded = Y.encodeStateAsUpdate(doc);
// The in-run baseline: the same timeline in the layout written before TL4a (entity `init`
// values as Yjs objects instead of JSON text), loaded by the same code under the same
// machine load, so the two numbers compare fairly even on a busy machine.
const baselineEncoded = Y.encodeStateAsUpdate(toLegacyLayout(doc));
// Load = what opening a project costs before the editor can draw it: decode the Yjs
// update, index the records (commands need it) and build the first snapshot.
interface LoadTimes {
  load: number[];
  apply: number[];
  index: number[];
}
const current: LoadTimes = { load: [], apply: [], index: [] };
const baseline: LoadTimes = { load: [], apply: [], index: [] };
// Collect the previous iteration's garbage before timing (run with --expose-gc).
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
function timeLoad(update: Uint8Array, into: LoadTimes): TimelineSnapshot {
  gc();
  const t0 = performance.now();
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, update);
  const t1 = performance.now();
  const loaded = snapshot(fresh);
  const t2 = performance.now();
  into.load.push(t2 - t0);
  into.apply.push(t1 - t0);
  into.index.push(t2 - t1);
  if (loaded.clips.length !== snap.clips.length) throw new Error('load lost clips');
  return loaded;
}
// Interleaved, alternating which goes first, so drift in machine load hits both alike.
for (let i = 0; i < 11; i++) {
  const order: Array<[Uint8Array, LoadTimes]> = [
    [encoded, current],
    [baselineEncoded, baseline],
  ];
  if (i % 2 === 1) order.reverse();
  for (const [update, into] of order) {
    const loaded = timeLoad(update, into);
    // Both layouts must read as the same timeline, or the comparison means nothing.
    if (i === 0 && JSON.stringify(loaded) !== JSON.stringify(snap)) throw new Error('a fresh load reads differently');
  }
}
const breakdown = (t: LoadTimes): string => `Y.applyUpdate ${round(median(t.apply), 1)}, index + first snapshot ${round(median(t.index), 1)}`;
console.log(`load breakdown (median ms): ${breakdown(current)}`);
console.log(`baseline, init as Yjs objects (median ms): ${breakdown(baseline)}, total ${round(median(baseline.load), 2)}, ${baselineEncoded.byteLength} bytes`);

evaluate(snap, 0); // builds the per-snapshot index once
const evalTimes: number[] = [];
let visible = 0;
for (let i = 0; i < 20_000; i++) {
  const t = ((i * 7919) % 20_000) / 10 + 0.0123;
  const t0 = performance.now();
  const frame = evaluate(snap, t);
  evalTimes.push((performance.now() - t0) * 1000);
  visible += frame.layers.length;
}
if (visible === 0) throw new Error('evaluate saw nothing');

const result = {
  clips: snap.clips.length,
  snapshotMs: round(median(snapshotTimes), 2),
  commandMedianMs: round(median(commandTimes), 3),
  loadMs: round(median(current.load), 2),
  baselineLoadMs: round(median(baseline.load), 2),
  encodedBytes: encoded.byteLength,
  evaluateMedianUs: round(median(evalTimes), 1),
};
console.log(`RESULT ${JSON.stringify(result)}`);
