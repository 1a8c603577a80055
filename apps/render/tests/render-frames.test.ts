/**
 * Frame accuracy (issue 6): sources whose every frame codes its own number are cut into
 * trimmed pieces on the timeline; the render must show, at every frame, exactly the source
 * frame evaluate() names — in particular on both sides of each cut — at 25, 29.97 and
 * 23.976 fps.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, frameStartMicros } from '@cutline/timeline';
import { createRenderEnv, type RenderEnv } from './support/render-env.ts';
import { decodeFrames, numberedVideo, probeStreams, readCode } from './support/render-media.ts';
import { timeline } from './support/render-timeline.ts';

const RATES = [
  { name: '25', fps: { num: 25, den: 1 } },
  { name: '29.97', fps: { num: 30000, den: 1001 } },
  { name: '23.976', fps: { num: 24000, den: 1001 } },
];

describe('frame accuracy', () => {
  let env: RenderEnv;
  beforeAll(async () => {
    env = await createRenderEnv();
    await env.startWorker({ threads: 2 });
  });
  afterAll(() => env.close());

  for (const { name, fps } of RATES) {
    it(`shows the exact source frame at every frame and on both sides of each cut at ${name} fps`, async () => {
      const rate = `${fps.num}/${fps.den}`;
      const perSecond = fps.num / fps.den;
      const id = `num${name.replace('.', '')}`;
      const path = await numberedVideo({ binaries: env.binaries, dir: env.dir, name: `${id}.mp4`, rate, frames: 120 });
      await env.addAsset(id, path, { kind: 'video', width: 320, height: 240, durationUs: Math.round((120 / perSecond) * 1e6), hasAudio: false });
      const t = timeline({ width: 320, height: 240, fps });
      const track = t.track('video');
      t.asset(id, { kind: 'video', duration: 120 / perSecond, width: 320, height: 240, fps, hasAudio: false });
      // Three trimmed pieces, out of source order: cuts at frames 17 and 38.
      const f = (k: number) => frameStartMicros(k, fps) / 1e6;
      t.clip(track, id, 0, f(17), f(40));
      t.clip(track, id, f(17), f(38) - f(17), f(5));
      t.clip(track, id, f(38), f(56) - f(38), f(90));
      const snap = t.snap();
      const render = await env.request(snap, 'mp4-720p');
      const done = await env.settled(render.id);
      expect(done.state, done.error ?? '').toBe('succeeded');
      const out = join(env.dir, `${id}-out.mp4`);
      await env.storage.put(`tmp/${id}`, await env.storage.get(done.outputKey as string));
      const file = await env.storage.localFile(`tmp/${id}`);
      const facts = await probeStreams(env.binaries, file.path);
      expect(facts.video?.frames).toBe(56);
      expect(facts.video?.rate).toBe(rate);
      // 320×240 in 1280×720: a 960×720 canvas between 160-pixel bars. Read at half size.
      const frames = await decodeFrames(env.binaries, file.path, { width: 640, height: 360 });
      expect(frames).toHaveLength(56);
      const shown = frames.map((frame) => readCode(frame, 640, { x: 80, y: 180, w: 480 }));
      const expected = frames.map((_, k) => {
        const layer = evaluate(snap, frameStartMicros(k, fps) / 1e6).layers[0];
        return Math.round((layer?.sourceTime ?? NaN) * perSecond);
      });
      expect(shown).toEqual(expected);
      // The cuts, spelled out: last frame before and first frame after each.
      expect([shown[16], shown[17], shown[37], shown[38]]).toEqual([56, 5, 25, 90]);
      await file.release();
      void out;
    });
  }
});
