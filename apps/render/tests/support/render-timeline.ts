/**
 * Builds timelines for render tests with the timeline package's own commands (the same path
 * the editor and the API use), so snapshots are real, resolved and valid.
 */
import { applyCommands, createTimelineDoc, originFor, sequentialIds, snapshot, type TimelineCommand, type TimelineSnapshot } from '@cutline/timeline';

export type TimelineBuilder = {
  run(commands: TimelineCommand[]): Record<string, unknown>[];
  snap(): TimelineSnapshot;
  track(kind: 'video' | 'audio' | 'text'): string;
  asset(id: string, facts: { kind: 'video' | 'audio' | 'image'; duration?: number; width?: number; height?: number; fps?: { num: number; den: number }; hasAudio?: boolean }): string;
  clip(trackId: string, assetId: string, start: number, duration: number, sourceIn?: number): string;
  color(trackId: string, color: string, start: number, duration: number): string;
  text(trackId: string, text: string, start: number, duration: number, style?: Record<string, unknown>, at?: { x?: number; y?: number }): string;
  update(clipId: string, fields: Record<string, unknown>): void;
  transition(fromClipId: string, toClipId: string, kind: 'crossfade' | 'dipToBlack' | 'wipe', duration: number): string;
};

export function timeline(settings: { width: number; height: number; fps: { num: number; den: number }; background?: string; sampleRate?: number }): TimelineBuilder {
  const doc = createTimelineDoc();
  const origin = originFor('user', 'render-test');
  const ids = sequentialIds('t');
  const run = (commands: TimelineCommand[]) => applyCommands(doc, commands, origin, { ids }) as Record<string, unknown>[];
  run([{ type: 'setSettings', ...settings }]);
  const first = (commands: TimelineCommand[], field: string) => String(run(commands)[0]?.[field]);
  return {
    run,
    snap: () => snapshot(doc),
    track: (kind) => first([{ type: 'addTrack', kind }], 'trackId'),
    asset: (id, facts) => first([{ type: 'registerAsset', assetId: id, name: id, ...facts }], 'assetId'),
    clip: (trackId, assetId, start, duration, sourceIn = 0) => first([{ type: 'addClip', trackId, assetId, start, duration, sourceIn }], 'clipId'),
    color: (trackId, color, start, duration) => first([{ type: 'addColorClip', trackId, color, start, duration }], 'clipId'),
    text: (trackId, text, start, duration, style, at) =>
      first([{ type: 'addTextClip', trackId, text, start, duration, ...(style ? { style } : {}), ...(at ?? {}) } as TimelineCommand], 'clipId'),
    update: (clipId, fields) => void run([{ type: 'updateClip', clipId, ...fields } as TimelineCommand]),
    transition: (fromClipId, toClipId, kind, duration) => first([{ type: 'addTransition', fromClipId, toClipId, kind, duration }], 'transitionId'),
  };
}
