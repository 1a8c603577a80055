import { applyCommands, createTimelineDoc, originFor, sequentialIds, snapshot } from '@cutline/timeline';
import { describe, expect, it } from 'vitest';
import { getPreset, InvalidPresetError, PRESET_NAMES, PRESETS, resolveRenderRange } from './renders.ts';

function snap(seconds: number, fps = { num: 30000, den: 1001 }) {
  const doc = createTimelineDoc();
  const run = (c: Parameters<typeof applyCommands>[1]) => applyCommands(doc, c, originFor('user', 'u'), { ids: sequentialIds('r') });
  const [, track] = run([{ type: 'setSettings', fps }, { type: 'addTrack', kind: 'video' }]) as [unknown, { trackId: string }];
  if (seconds > 0) run([{ type: 'addColorClip', trackId: track.trackId, color: '#ff0000', start: 0, duration: seconds }]);
  return snapshot(doc);
}

describe('presets', () => {
  it('are the API names with their facts', () => {
    expect(PRESET_NAMES).toEqual(['mp4-1080p', 'mp4-720p', 'mp4-vertical', 'mp4-square', 'webm-720p', 'gif-480p', 'audio-m4a']);
    expect(PRESETS['mp4-vertical'].video).toMatchObject({ codec: 'h264', width: 1080, height: 1920 });
    expect(PRESETS['mp4-square'].video).toMatchObject({ width: 1080, height: 1080 });
    expect(PRESETS['webm-720p']).toMatchObject({ video: { codec: 'vp9', width: 1280, height: 720 }, audio: { codec: 'opus' } });
    expect(PRESETS['audio-m4a']).toMatchObject({ video: null, audio: { codec: 'aac' }, chunkable: false });
    expect(PRESETS['gif-480p']).toMatchObject({ audio: null, chunkable: false });
  });
  it('refuses an unknown preset with a 400', () => {
    expect(() => getPreset('mp4-4k')).toThrow(InvalidPresetError);
    expect(() => getPreset(42)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_preset' }));
  });
});

describe('resolveRenderRange', () => {
  it('refuses a range point beyond 24 hours with a 400, not a RangeError (issue 12)', () => {
    for (const range of [{ end: 1e308 }, { start: 1e308 }, { start: 0, end: 86_400.5 }]) {
      expect(() => resolveRenderRange(snap(10), range)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_range', message: expect.stringMatching(/at most 86400 seconds/) }));
    }
  });
  it('defaults to the whole timeline and snaps seconds to frames', () => {
    expect(resolveRenderRange(snap(10), undefined)).toEqual({ startUs: 0, endUs: 10_010_000 });
    // 1.01 s at 29.97 is closest to frame 30 = 1.001 s.
    expect(resolveRenderRange(snap(10), { start: 1.01, end: 2 })).toEqual({ startUs: 1_001_000, endUs: 2_002_000 });
  });
  it('refuses empty timelines, negative, reversed, too short and too long ranges', () => {
    expect(() => resolveRenderRange(snap(0), undefined)).toThrow(expect.objectContaining({ code: 'empty_timeline', status: 400 }));
    for (const range of [{ start: -1 }, { start: 3, end: 2 }, { start: 1, end: 1.01 }, { end: 11 }, { start: Number.NaN }]) {
      expect(() => resolveRenderRange(snap(10), range)).toThrow(expect.objectContaining({ code: 'invalid_range', status: 400 }));
    }
  });
});
