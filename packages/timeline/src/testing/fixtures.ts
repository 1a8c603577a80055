// Helpers for tests: a timeline with deterministic ids and short command calls. Pure
// (yjs only) so it type-checks with the package; not exported from index.ts.

import * as Y from 'yjs';
import { applyCommand, applyCommands } from '../commands/apply.ts';
import type { CommandResult, TimelineCommand } from '../commands/schema.ts';
import { createTimelineDoc } from '../doc.ts';
import { sequentialIds } from '../ids.ts';
import type { SettingsRec } from '../model.ts';
import type { TimelineOrigin } from '../origin.ts';
import { originFor } from '../origin.ts';
import type { SnapshotClip, TimelineSnapshot } from '../snapshot.ts';
import { snapshot } from '../snapshot.ts';

export interface Fixture {
  doc: Y.Doc;
  origin: TimelineOrigin;
  run(command: TimelineCommand): CommandResult;
  runAll(commands: unknown[]): CommandResult[];
  snap(): TimelineSnapshot;
  clip(id: string): SnapshotClip;
  track(kind?: 'video' | 'audio' | 'text', name?: string): string;
  asset(kind: 'video' | 'audio' | 'image', seconds?: number, extra?: Record<string, unknown>): string;
  videoClip(trackId: string, assetId: string, start: number, duration: number, sourceIn?: number): string;
}

export function fixture(settings: Partial<SettingsRec> = {}, prefix = 'id'): Fixture {
  const doc = createTimelineDoc({ settings });
  const origin = originFor('user', 'alice');
  const ids = sequentialIds(prefix);
  const run = (command: TimelineCommand): CommandResult => applyCommand(doc, command, origin, { ids });
  const f: Fixture = {
    doc,
    origin,
    run,
    runAll: (commands) => applyCommands(doc, commands, origin, { ids }),
    snap: () => snapshot(doc),
    clip(id) {
      const c = snapshot(doc).clips.find((x) => x.id === id);
      if (c === undefined) throw new Error(`clip ${id} not in snapshot`);
      return c;
    },
    track(kind = 'video', name) {
      return (run({ type: 'addTrack', kind, ...(name === undefined ? {} : { name }) }) as { trackId: string }).trackId;
    },
    asset(kind, seconds = 60, extra = {}) {
      const cmd = { type: 'registerAsset', kind, ...(kind === 'image' ? {} : { duration: seconds }), ...(kind === 'video' ? { hasAudio: true } : {}), ...extra };
      return (run(cmd as TimelineCommand) as { assetId: string }).assetId;
    },
    videoClip(trackId, assetId, start, duration, sourceIn = 0) {
      return (run({ type: 'addClip', trackId, assetId, start, duration, sourceIn }) as { clipId: string }).clipId;
    },
  };
  return f;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Run `fn`, which must throw, and check the document did not change at all (TL40).
 * Returns the error for the caller to inspect.
 */
export function rejects(doc: Y.Doc, fn: () => unknown): unknown {
  const before = Y.encodeStateAsUpdate(doc);
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (error === null) throw new Error('expected the command to be rejected');
  if (!sameBytes(before, Y.encodeStateAsUpdate(doc))) throw new Error('a rejected command changed the document');
  return error;
}

/** A snapshot with `n` one-second colour clips `c0…` end to end on track `t`. */
export function colorClipSnapshot(n: number): TimelineSnapshot {
  return {
    version: 2,
    settings: { width: 1920, height: 1080, fps: { num: 30, den: 1 }, background: '#000000', sampleRate: 48000 },
    duration: n,
    tracks: [{ id: 't', kind: 'video', name: 'V', muted: false, hidden: false, locked: false }],
    clips: Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      trackId: 't',
      kind: 'color' as const,
      start: i,
      duration: 1,
      sourceIn: 0,
      speed: 1,
      volume: 1,
      fadeIn: 0,
      fadeOut: 0,
      opacity: 1,
      x: 0.5,
      y: 0.5,
      scale: 1,
      rotation: 0,
      assetId: null,
      text: null,
      style: null,
      color: '#000000',
    })),
    transitions: [],
    markers: [],
    assets: [],
  };
}

/** Exchange missing updates both ways (state-vector sync, as providers do on connect). */
export function syncDocs(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** A second peer starting from `doc`'s current state. */
export function forkDoc(doc: Y.Doc): Y.Doc {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  return peer;
}
