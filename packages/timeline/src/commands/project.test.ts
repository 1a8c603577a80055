import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidCommandError, LimitExceededError, UnknownIdError } from '../errors.ts';
import { LIMITS } from '../model.ts';
import { fixture, rejects } from '../testing/fixtures.ts';

describe('setSettings', () => {
  it('[TL40] changes settings', () => {
    const f = fixture();
    f.run({ type: 'setSettings', width: 1280, height: 720, fps: { num: 24000, den: 1001 }, background: '#FFFFFF', sampleRate: 44100 });
    expect(f.snap().settings).toEqual({ width: 1280, height: 720, fps: { num: 24000, den: 1001 }, background: '#ffffff', sampleRate: 44100 });
  });

  it('[TL20] rejects frame rates outside 1–240 fps', () => {
    const f = fixture();
    for (const fps of [
      { num: 1, den: 2 },
      { num: 241, den: 1 },
      { num: 1_000_000, den: 1 },
    ]) {
      expect(rejects(f.doc, () => f.run({ type: 'setSettings', fps }))).toBeInstanceOf(InvalidCommandError);
    }
  });

  it('[TL23] changing fps does not move clips; later commands snap to the new grid', () => {
    const f = fixture({ fps: { num: 25, den: 1 } });
    const t = f.track();
    const c = (f.run({ type: 'addColorClip', trackId: t, color: '#000000', start: 0.04, duration: 0.08 }) as { clipId: string }).clipId;
    f.run({ type: 'setSettings', fps: { num: 30, den: 1 } });
    expect(f.clip(c)).toMatchObject({ start: 0.04, duration: 0.08 });
    f.run({ type: 'moveClip', clipId: c, start: 0.04 });
    expect(f.clip(c).start).toBe(0.033333);
  });
});

describe('markers', () => {
  it('[TL9] addMarker snaps its time; markers are sorted by time', () => {
    const f = fixture({ fps: { num: 25, den: 1 } });
    const m2 = (f.run({ type: 'addMarker', time: 5.01, label: 'B' }) as { markerId: string }).markerId;
    const m1 = (f.run({ type: 'addMarker', time: 1, label: 'A', color: '#00FF00' }) as { markerId: string }).markerId;
    expect(f.snap().markers).toEqual([
      { id: m1, time: 1, label: 'A', color: '#00ff00' },
      { id: m2, time: 5, label: 'B', color: '#ffcc00' },
    ]);
    f.run({ type: 'removeMarker', markerId: m1 });
    expect(f.snap().markers.map((m) => m.id)).toEqual([m2]);
    expect(rejects(f.doc, () => f.run({ type: 'removeMarker', markerId: m1 }))).toBeInstanceOf(UnknownIdError);
  });

  it(`[TL42] stops at ${LIMITS.markers} markers`, () => {
    const f = fixture();
    f.runAll(Array.from({ length: LIMITS.markers }, (_, i) => ({ type: 'addMarker', time: i })));
    expect(rejects(f.doc, () => f.run({ type: 'addMarker', time: 0 }))).toBeInstanceOf(LimitExceededError);
  });
});

describe('assets', () => {
  it('[TL7] registerAsset takes a client id or makes one; ingest fills in facts later', () => {
    const f = fixture();
    const id = (f.run({ type: 'registerAsset', assetId: 'upload-42', kind: 'video', name: 'beach.mp4' }) as { assetId: string }).assetId;
    expect(id).toBe('upload-42');
    expect(f.snap().assets).toEqual([{ id, kind: 'video', name: 'beach.mp4', duration: null, width: null, height: null, fps: null, hasAudio: null }]);
    f.run({ type: 'updateAsset', assetId: id, duration: 12.5, width: 1920, height: 1080, fps: { num: 30000, den: 1001 }, hasAudio: true });
    expect(f.snap().assets[0]).toEqual({ id, kind: 'video', name: 'beach.mp4', duration: 12.5, width: 1920, height: 1080, fps: { num: 30000, den: 1001 }, hasAudio: true });
    const gen = (f.run({ type: 'registerAsset', kind: 'audio', duration: 3 }) as { assetId: string }).assetId;
    expect(f.snap().assets.find((a) => a.id === gen)).toMatchObject({ kind: 'audio', hasAudio: true, duration: 3 });
  });

  it('[TL7] [TL40] rejects taken ids, unknown ids and facts that do not fit the kind', () => {
    const f = fixture();
    f.run({ type: 'registerAsset', assetId: 'a1', kind: 'image' });
    expect(rejects(f.doc, () => f.run({ type: 'registerAsset', assetId: 'a1', kind: 'video' }))).toBeInstanceOf(ConflictError);
    expect(rejects(f.doc, () => f.run({ type: 'updateAsset', assetId: 'nope', name: 'x' }))).toBeInstanceOf(UnknownIdError);
    expect((rejects(f.doc, () => f.run({ type: 'updateAsset', assetId: 'a1', duration: 3 })) as InvalidCommandError).path).toBe('duration');
    expect((rejects(f.doc, () => f.run({ type: 'registerAsset', kind: 'audio', fps: { num: 30, den: 1 } })) as InvalidCommandError).path).toBe('fps');
    expect((rejects(f.doc, () => f.run({ type: 'registerAsset', kind: 'audio', hasAudio: false })) as InvalidCommandError).path).toBe('hasAudio');
    expect((rejects(f.doc, () => f.run({ type: 'registerAsset', kind: 'video', fps: { num: 1, den: 1_000_000 } })) as InvalidCommandError).path).toBe('fps');
    // Probed rates outside the project range are still facts worth keeping.
    const fast = (f.run({ type: 'registerAsset', kind: 'video', fps: { num: 960, den: 1 } }) as { assetId: string }).assetId;
    expect(f.snap().assets.find((a) => a.id === fast)?.fps).toEqual({ num: 960, den: 1 });
  });
});
