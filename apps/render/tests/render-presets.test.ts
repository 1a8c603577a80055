/**
 * Every preset (their names are API) renders a playable file of the right kind, size and
 * length; a WebM render survives chunking (VP9 chunks joined, Opus muxed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESET_NAMES, PRESETS } from '@cutline/shared/renders';
import type { TimelineSnapshot } from '@cutline/timeline';
import { createRenderEnv, type RenderEnv } from './support/render-env.ts';
import { numberedVideo, probeStreams } from './support/render-media.ts';
import { timeline } from './support/render-timeline.ts';

describe('presets', () => {
  let env: RenderEnv;
  let short: TimelineSnapshot;
  let long: TimelineSnapshot;
  beforeAll(async () => {
    env = await createRenderEnv();
    const path = await numberedVideo({ binaries: env.binaries, dir: env.dir, name: 'p.mp4', rate: '30', frames: 150, audio: true });
    await env.addAsset('p', path, { kind: 'video', width: 320, height: 240, durationUs: 5_000_000, hasAudio: true });
    const make = (seconds: number) => {
      const t = timeline({ width: 320, height: 240, fps: { num: 30, den: 1 } });
      const v = t.track('video');
      const tx = t.track('text');
      t.asset('p', { kind: 'video', duration: 5, width: 320, height: 240, fps: { num: 30, den: 1 }, hasAudio: true });
      t.clip(v, 'p', 0, seconds);
      t.text(tx, 'preset', 0, seconds, { fontSize: 24 });
      return t.snap();
    };
    short = make(1);
    long = make(4);
    // Two slots, 2 s chunks: the 4 s WebM is split in two.
    await env.startWorker({ threads: 1, chunkSeconds: 2, minChunkedSeconds: 3 }, 2);
  });
  afterAll(() => env.close());

  for (const name of PRESET_NAMES) {
    it(`${name} renders a ${PRESETS[name].extension} file`, async () => {
      const preset = PRESETS[name];
      const render = await env.request(short, name);
      const done = await env.settled(render.id);
      expect(done.state, done.error ?? '').toBe('succeeded');
      expect(done.outputKey).toBe(`renders/${render.id}/output.${preset.extension}`);
      expect(done.fileName).toBe(`render-${render.id}.${preset.extension}`);
      const facts = await probeStreams(env.binaries, (await env.storage.localFile(done.outputKey as string)).path);
      if (preset.video) {
        expect({ width: facts.video?.width, height: facts.video?.height }).toEqual({ width: preset.video.width, height: preset.video.height });
        expect(facts.video?.codec).toBe({ h264: 'h264', vp9: 'vp9', gif: 'gif' }[preset.video.codec]);
        expect(facts.video?.frames).toBe(preset.video.maxFps ? 15 : 30);
      } else {
        expect(facts.video).toBeNull();
      }
      if (preset.audio) {
        expect(facts.audio?.codec).toBe(preset.audio.codec);
        // Matroska keeps no per-stream duration: then the file's.
        expect(Math.abs((facts.audio?.duration ?? facts.format.duration) - 1)).toBeLessThan(0.05);
      } else {
        expect(facts.audio).toBeNull();
      }
    });
  }

  it('webm-720p survives chunking: VP9 chunks joined without re-encoding, Opus muxed', async () => {
    const render = await env.request(long, 'webm-720p');
    const done = await env.settled(render.id);
    expect(done.state, done.error ?? '').toBe('succeeded');
    const [row] = await env.db.sql<{ mode: string }[]>`select mode from renders where id = ${render.id}`;
    expect(row?.mode).toBe('chunked');
    const facts = await probeStreams(env.binaries, (await env.storage.localFile(done.outputKey as string)).path);
    expect(facts.video).toMatchObject({ codec: 'vp9', frames: 120, width: 1280, height: 720 });
    expect(facts.audio?.codec).toBe('opus');
    // The parts are gone once joined.
    expect(await env.storage.exists(`renders/${render.id}/parts/video-0.webm`)).toBe(false);
  });
});
