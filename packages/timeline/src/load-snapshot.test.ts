import { describe, expect, it } from 'vitest';
import { InvalidSnapshotError } from './errors.ts';
import { loadSnapshot } from './load-snapshot.ts';
import { snapshot } from './snapshot.ts';
import { validateSnapshot } from './snapshot-schema.ts';
import { applyCommand } from './commands/apply.ts';
import { originFor } from './origin.ts';
import { fixture } from './testing/fixtures.ts';

function rich() {
  const f = fixture({ fps: { num: 24000, den: 1001 }, background: '#101010' });
  const v = f.track('video', 'Main');
  const text = f.track('text');
  const au = f.track('audio');
  const film = f.asset('video', 100, { name: 'a.mp4', width: 1920, height: 1080, fps: { num: 24000, den: 1001 } });
  const music = f.asset('audio', 100);
  const c1 = f.videoClip(v, film, 0, 4, 10);
  const c2 = f.videoClip(v, film, 4, 4, 20);
  f.run({ type: 'updateClip', clipId: c2, speed: 1.5, opacity: 0.7, rotation: 12, fadeOut: 1 });
  f.run({ type: 'addTransition', fromClipId: c1, toClipId: c2, kind: 'crossfade', duration: 1 });
  f.run({ type: 'addTextClip', trackId: text, text: 'Über 🎬', start: 1, duration: 2, style: { background: { color: '#00000080', padding: 4 } } });
  f.videoClip(au, music, 0, 8, 3);
  f.run({ type: 'addMarker', time: 2, label: 'beat' });
  f.run({ type: 'updateTrack', trackId: au, muted: true });
  return f;
}

describe('loadSnapshot', () => {
  it('[TL10] a loaded snapshot reads back identically, also after a JSON round trip', () => {
    const s = rich().snap();
    const json = JSON.parse(JSON.stringify(s)) as unknown;
    const doc = loadSnapshot(json);
    expect(snapshot(doc)).toEqual(s);
    expect(snapshot(loadSnapshot(snapshot(doc)))).toEqual(s);
  });

  it('[TL10] the loaded document accepts commands', () => {
    const s = rich().snap();
    const doc = loadSnapshot(s);
    const t = s.tracks[0]?.id ?? '';
    applyCommand(doc, { type: 'addColorClip', trackId: t, color: '#000000', start: 20, duration: 1 }, originFor('api', 'svc'));
    expect(snapshot(doc).clips).toHaveLength(s.clips.length + 1);
  });

  it('[TL10] rejects snapshots that do not match the schema, naming the path', () => {
    const s = JSON.parse(JSON.stringify(rich().snap())) as Record<string, unknown>;
    const bad = (mutate: (x: Record<string, unknown>) => void, path: RegExp) => {
      const copy = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      mutate(copy);
      try {
        loadSnapshot(copy);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidSnapshotError);
        expect((e as InvalidSnapshotError).code).toBe('invalid_snapshot');
        expect((e as InvalidSnapshotError).path).toMatch(path);
      }
    };
    bad((x) => (x['version'] = 3), /^version$/);
    bad((x) => delete x['clips'], /^clips$/);
    bad((x) => ((x['clips'] as Array<Record<string, unknown>>)[0]!['start'] = -1), /^clips\[0\]\.start$/);
    bad((x) => ((x['tracks'] as Array<Record<string, unknown>>)[0]!['kind'] = 'subtitles'), /^tracks\[0\]\.kind$/);
    bad((x) => (x['extra'] = true), /^extra$/);
    bad((x) => (x['tracks'] as unknown[]).push((x['tracks'] as unknown[])[0]), /^tracks\[3\]\.id$/);
    bad((x) => ((x['settings'] as Record<string, unknown>)['width'] = 1281), /^settings\.width$/);
    bad((x) => ((x['settings'] as Record<string, unknown>)['fps'] = { num: 1000, den: 1 }), /^settings\.fps$/);
    expect(() => loadSnapshot(null)).toThrow(InvalidSnapshotError);
  });

  it('[TL9] validateSnapshot returns a frozen copy', () => {
    const s = JSON.parse(JSON.stringify(rich().snap())) as unknown;
    const v = validateSnapshot(s);
    expect(v).toEqual(s);
    expect(v).not.toBe(s);
    expect(Object.isFrozen(v.clips[0])).toBe(true);
  });
});
