import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidCommandError, LimitExceededError, TrackLockedError, UnknownIdError } from '../errors.ts';
import { DEFAULT_TEXT_STYLE, LIMITS } from '../model.ts';
import { loadSnapshot } from '../load-snapshot.ts';
import { applyCommand } from './apply.ts';
import { colorClipSnapshot, fixture, rejects } from '../testing/fixtures.ts';
import { originFor } from '../origin.ts';

describe('addClip', () => {
  it('[TL13] places a video asset as a video clip with sourceIn', () => {
    const f = fixture();
    const t = f.track();
    const a = f.asset('video', 60);
    const id = f.videoClip(t, a, 2, 3, 10);
    expect(f.clip(id)).toMatchObject({ kind: 'video', trackId: t, assetId: a, start: 2, duration: 3, sourceIn: 10, speed: 1, volume: 1, opacity: 1 });
  });

  it('[TL13] without duration a media clip runs to the end of the media, cut at a whole frame', () => {
    const f = fixture({ fps: { num: 30, den: 1 } });
    const t = f.track();
    const a = f.asset('video', 10.05);
    const id = (f.run({ type: 'addClip', trackId: t, assetId: a, start: 1, sourceIn: 4 }) as { clipId: string }).clipId;
    // 6.05 s of media left; the last whole frame boundary is 7.0333… s.
    expect(f.clip(id).start).toBe(1);
    expect(f.clip(id).duration).toBe(6.033333);
  });

  it('[TL13] images are image clips of 5 s by default', () => {
    const f = fixture();
    const t = f.track();
    const img = f.asset('image');
    const id = (f.run({ type: 'addClip', trackId: t, assetId: img, start: 0 }) as { clipId: string }).clipId;
    expect(f.clip(id)).toMatchObject({ kind: 'image', duration: 5, sourceIn: 0 });
    expect(rejects(f.doc, () => f.run({ type: 'addClip', trackId: t, assetId: img, start: 10, sourceIn: 1 }))).toBeInstanceOf(InvalidCommandError);
  });

  it('[TL12] audio assets go on audio tracks; a video asset there contributes its sound', () => {
    const f = fixture();
    const audioTrack = f.track('audio');
    const videoTrack = f.track('video');
    const song = f.asset('audio', 100);
    const film = f.asset('video', 100);
    const silent = f.asset('video', 100, { hasAudio: false });
    const c1 = f.videoClip(audioTrack, song, 0, 5);
    const c2 = f.videoClip(audioTrack, film, 5, 5);
    expect(f.clip(c1).kind).toBe('audio');
    expect(f.clip(c2).kind).toBe('audio');
    expect(rejects(f.doc, () => f.videoClip(audioTrack, silent, 20, 1))).toBeInstanceOf(ConflictError);
    expect(rejects(f.doc, () => f.videoClip(videoTrack, song, 0, 1))).toBeInstanceOf(ConflictError);
  });

  it('[TL12] text tracks refuse media', () => {
    const f = fixture();
    const t = f.track('text');
    const img = f.asset('image');
    expect(rejects(f.doc, () => f.videoClip(t, img, 0, 1))).toBeInstanceOf(ConflictError);
  });

  it('[TL40] rejects unknown tracks and assets', () => {
    const f = fixture();
    const t = f.track();
    const a = f.asset('video');
    expect(rejects(f.doc, () => f.videoClip('nope', a, 0, 1))).toBeInstanceOf(UnknownIdError);
    expect(rejects(f.doc, () => f.videoClip(t, 'nope', 0, 1))).toBeInstanceOf(UnknownIdError);
  });

  it('[TL11] rejects clips on a locked track', () => {
    const f = fixture();
    const t = f.track();
    const a = f.asset('video');
    f.run({ type: 'updateTrack', trackId: t, locked: true });
    expect(rejects(f.doc, () => f.videoClip(t, a, 0, 1))).toBeInstanceOf(TrackLockedError);
  });

  it('[TL17] refuses to overlap another clip; touching is fine', () => {
    const f = fixture();
    const t = f.track();
    const a = f.asset('video', 100);
    f.videoClip(t, a, 2, 2);
    f.videoClip(t, a, 4, 1);
    f.videoClip(t, a, 0, 2);
    expect(rejects(f.doc, () => f.videoClip(t, a, 3.5, 1))).toBeInstanceOf(ConflictError);
    expect(rejects(f.doc, () => f.videoClip(t, a, 1, 0.5))).toBeInstanceOf(ConflictError);
    expect(rejects(f.doc, () => f.videoClip(t, a, 0, 10))).toBeInstanceOf(ConflictError);
  });

  it('[TL13] rejects media ranges past the end of the asset', () => {
    const f = fixture();
    const t = f.track();
    const a = f.asset('video', 10);
    expect(rejects(f.doc, () => f.videoClip(t, a, 0, 11))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(f.doc, () => f.videoClip(t, a, 0, 6, 5))).toBeInstanceOf(InvalidCommandError);
    expect(rejects(f.doc, () => f.run({ type: 'addClip', trackId: t, assetId: a, start: 0, sourceIn: 10 }))).toBeInstanceOf(InvalidCommandError);
    f.videoClip(t, a, 0, 5, 5);
  });

  it('[TL13] needs a duration while the asset length is unknown', () => {
    const f = fixture();
    const t = f.track();
    const a = (f.run({ type: 'registerAsset', kind: 'video' }) as { assetId: string }).assetId;
    const e = rejects(f.doc, () => f.run({ type: 'addClip', trackId: t, assetId: a, start: 0 }));
    expect((e as InvalidCommandError).path).toBe('duration');
    f.videoClip(t, a, 0, 100, 50);
  });

  it('[TL22] snaps start and end to the frame grid; sub-frame clips are rejected', () => {
    const f = fixture({ fps: { num: 25, den: 1 } });
    const t = f.track();
    const a = f.asset('video', 100);
    const id = f.videoClip(t, a, 1.01, 2.02);
    expect(f.clip(id)).toMatchObject({ start: 1, duration: 2.04 });
    expect(rejects(f.doc, () => f.videoClip(t, a, 10, 0.01))).toBeInstanceOf(InvalidCommandError);
  });

  it('[TL21] rejects clips that would end after 24 h', () => {
    const f = fixture();
    const t = f.track();
    const c = f.run({ type: 'addColorClip', trackId: t, color: '#000000', start: 86_399, duration: 1 }) as { clipId: string };
    expect(f.clip(c.clipId).start).toBe(86_399);
    expect(rejects(f.doc, () => f.run({ type: 'addColorClip', trackId: t, color: '#000000', start: 86_399.5, duration: 1 }))).toBeInstanceOf(InvalidCommandError);
  });

  it(`[TL42] stops at ${LIMITS.clips} clips`, () => {
    const doc = loadSnapshot(colorClipSnapshot(LIMITS.clips));
    const e = rejects(doc, () => applyCommand(doc, { type: 'addColorClip', trackId: 't', color: '#ffffff', start: 30_000, duration: 1 }, originFor('user', 'u')));
    expect(e).toBeInstanceOf(LimitExceededError);
  });
});

describe('addTextClip and addColorClip', () => {
  it('[TL13] text clips carry text, a bundled font style and a position', () => {
    const f = fixture();
    const t = f.track('text');
    const id = (
      f.run({
        type: 'addTextClip',
        trackId: t,
        text: 'Hello',
        start: 1,
        duration: 2,
        style: { fontFamily: 'Roboto Mono', fontSize: 48, color: '#FFCC00', background: { color: '#00000080', padding: 12 }, align: 'left' },
        x: 0.25,
        y: 0.8,
      }) as { clipId: string }
    ).clipId;
    expect(f.clip(id)).toMatchObject({
      kind: 'text',
      text: 'Hello',
      x: 0.25,
      y: 0.8,
      assetId: null,
      style: { fontFamily: 'Roboto Mono', fontSize: 48, color: '#ffcc00', background: { color: '#00000080', padding: 12 }, align: 'left' },
    });
  });

  it('[TL13] text style defaults apply; text clips also fit video tracks', () => {
    const f = fixture();
    const v = f.track('video');
    const id = (f.run({ type: 'addTextClip', trackId: v, text: 'Title', start: 0, duration: 1 }) as { clipId: string }).clipId;
    expect(f.clip(id).style).toEqual(DEFAULT_TEXT_STYLE);
  });

  it('[TL12] colour clips need a video track', () => {
    const f = fixture();
    const v = f.track('video');
    const t = f.track('text');
    const id = (f.run({ type: 'addColorClip', trackId: v, color: '#AABBCC', start: 0, duration: 1 }) as { clipId: string }).clipId;
    expect(f.clip(id)).toMatchObject({ kind: 'color', color: '#aabbcc' });
    expect(rejects(f.doc, () => f.run({ type: 'addColorClip', trackId: t, color: '#000000', start: 0, duration: 1 }))).toBeInstanceOf(ConflictError);
    expect(rejects(f.doc, () => f.run({ type: 'addTextClip', trackId: 'nope', text: 'x', start: 0, duration: 1 }))).toBeInstanceOf(UnknownIdError);
    expect(rejects(f.doc, () => f.run({ type: 'addTextClip', trackId: v, text: 'x', start: 0.5, duration: 1 }))).toBeInstanceOf(ConflictError);
  });
});

describe('updateClip', () => {
  function setup() {
    const f = fixture();
    const t = f.track();
    const a = f.asset('video', 20);
    const clip = f.videoClip(t, a, 0, 4, 2);
    return { f, t, a, clip };
  }

  it('[TL15] updates visual and audio fields of a video clip', () => {
    const { f, clip } = setup();
    f.run({ type: 'updateClip', clipId: clip, volume: 2, opacity: 0.25, x: 0, y: 1, scale: 2, rotation: -90, fadeIn: 1, fadeOut: 1 });
    expect(f.clip(clip)).toMatchObject({ volume: 2, opacity: 0.25, x: 0, y: 1, scale: 2, rotation: -90, fadeIn: 1, fadeOut: 1 });
  });

  it('[TL15] speed keeps the timeline length and must fit the media', () => {
    const { f, clip } = setup();
    f.run({ type: 'updateClip', clipId: clip, speed: 2 });
    expect(f.clip(clip)).toMatchObject({ duration: 4, speed: 2 });
    // 2 s in + 4 s × 4 = 18 s ≤ 20 s fits; sourceIn 5 does not.
    f.run({ type: 'updateClip', clipId: clip, speed: 4 });
    expect(rejects(f.doc, () => f.run({ type: 'updateClip', clipId: clip, sourceIn: 5 }))).toBeInstanceOf(InvalidCommandError);
  });

  it('[TL15] fade-in plus fade-out may not exceed the clip', () => {
    const { f, clip } = setup();
    f.run({ type: 'updateClip', clipId: clip, fadeIn: 2 });
    const e = rejects(f.doc, () => f.run({ type: 'updateClip', clipId: clip, fadeOut: 2.5 }));
    expect((e as InvalidCommandError).path).toBe('fadeOut');
  });

  it('[TL15] fields must fit the clip kind', () => {
    const f = fixture();
    const v = f.track('video');
    const au = f.track('audio');
    const text = (f.run({ type: 'addTextClip', trackId: v, text: 'x', start: 0, duration: 1 }) as { clipId: string }).clipId;
    const color = (f.run({ type: 'addColorClip', trackId: v, color: '#000000', start: 1, duration: 1 }) as { clipId: string }).clipId;
    const sound = f.videoClip(au, f.asset('audio', 10), 0, 1);
    expect((rejects(f.doc, () => f.run({ type: 'updateClip', clipId: text, volume: 1 })) as InvalidCommandError).path).toBe('volume');
    expect((rejects(f.doc, () => f.run({ type: 'updateClip', clipId: text, color: '#ffffff' })) as InvalidCommandError).path).toBe('color');
    expect((rejects(f.doc, () => f.run({ type: 'updateClip', clipId: color, text: 'y' })) as InvalidCommandError).path).toBe('text');
    expect((rejects(f.doc, () => f.run({ type: 'updateClip', clipId: sound, opacity: 0.5 })) as InvalidCommandError).path).toBe('opacity');
    f.run({ type: 'updateClip', clipId: text, text: 'changed', style: { fontSize: 100, background: { color: '#000000' } } });
    expect(f.clip(text)).toMatchObject({ text: 'changed', style: { fontSize: 100, fontFamily: 'Inter', background: { color: '#000000', padding: 16 } } });
    f.run({ type: 'updateClip', clipId: text, style: { background: null } });
    expect(f.clip(text).style?.background).toBeNull();
    f.run({ type: 'updateClip', clipId: color, color: '#123456' });
    expect(f.clip(color).color).toBe('#123456');
  });

  it('[TL11] [TL16] rejects unknown clips and clips on locked tracks', () => {
    const { f, t, clip } = setup();
    expect(rejects(f.doc, () => f.run({ type: 'updateClip', clipId: 'ghost', opacity: 0 }))).toBeInstanceOf(UnknownIdError);
    f.run({ type: 'updateTrack', trackId: t, locked: true });
    expect(rejects(f.doc, () => f.run({ type: 'updateClip', clipId: clip, opacity: 0 }))).toBeInstanceOf(TrackLockedError);
  });

  it('[TL4] writes only the fields that change', () => {
    const { f, clip } = setup();
    const updates: number[] = [];
    f.doc.on('update', (u: Uint8Array) => updates.push(u.length));
    f.run({ type: 'updateClip', clipId: clip, opacity: 1, volume: 1 });
    expect(updates).toHaveLength(0);
    f.run({ type: 'updateClip', clipId: clip, opacity: 0.5, volume: 1 });
    expect(updates).toHaveLength(1);
  });
});
