/**
 * A/V sync, and chunked vs single renders (issue 6). A source flashes and beeps on the
 * same frames; after trims, at 2× speed, and through chunking + concatenation, every flash
 * and its beep stay within one frame. A chunked render has the single render's duration
 * (±1 frame), its frames (PSNR ≥ 45 dB) and continuous audio across the seams.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderInfo } from '@cutline/shared/renders';
import type { TimelineSnapshot } from '@cutline/timeline';
import { createRenderEnv, type RenderEnv } from './support/render-env.ts';
import { decodeAudio, decodeFrames, flashBeepVideo, numberedVideo, probeStreams } from './support/render-media.ts';
import { timeline } from './support/render-timeline.ts';

const FPS = 30;
const FRAME = 1 / FPS;

function flashTimes(frames: Buffer[]): number[] {
  const times: number[] = [];
  let previous = false;
  frames.forEach((frame, k) => {
    let sum = 0;
    for (let i = 0; i < frame.length; i += 3) sum += frame[i] ?? 0;
    const lit = sum / (frame.length / 3) > 128;
    if (lit && !previous) times.push(k * FRAME);
    previous = lit;
  });
  return times;
}

function beepTimes(samples: Float32Array, rate = 48000): number[] {
  const times: number[] = [];
  let lastLoud = -Infinity;
  for (let i = 0; i < samples.length; i += 2) {
    const loud = Math.abs(samples[i] ?? 0) > 0.2;
    if (!loud) continue;
    const t = i / 2 / rate;
    if (t - lastLoud > 0.1) times.push(t);
    lastLoud = t;
  }
  return times;
}

async function outputPath(env: RenderEnv, render: RenderInfo): Promise<string> {
  const done = await env.settled(render.id);
  expect(done.state, done.error ?? '').toBe('succeeded');
  const file = await env.storage.localFile(done.outputKey as string);
  return file.path;
}

describe('A/V sync and chunking', () => {
  let env: RenderEnv;
  let snap: TimelineSnapshot;
  let single: string;
  let chunked: string;

  beforeAll(async () => {
    env = await createRenderEnv();
    // Flash + beep on source frames 45–48 (1.5 s).
    const flash = await flashBeepVideo({ binaries: env.binaries, dir: env.dir, name: 'flash.mp4', rate: FPS, seconds: 7, flashFrame: 45 });
    await env.addAsset('flash', flash, { kind: 'video', width: 320, height: 240, durationUs: 7_000_000, hasAudio: true });
    const numbered = await numberedVideo({ binaries: env.binaries, dir: env.dir, name: 'num.mp4', rate: '30', frames: 200, audio: true });
    await env.addAsset('num', numbered, { kind: 'video', width: 320, height: 240, durationUs: 6_666_667, hasAudio: true });

    const t = timeline({ width: 320, height: 240, fps: { num: FPS, den: 1 } });
    const v = t.track('video');
    const text = t.track('text');
    t.asset('flash', { kind: 'video', duration: 7, width: 320, height: 240, fps: { num: FPS, den: 1 }, hasAudio: true });
    // Trimmed: flash at 0 + (1.5 − 0.7) = 0.8 s.
    t.clip(v, 'flash', 0, 2.5, 0.7);
    // 2× speed: flash at 2.5 + (1.5 − 0.3) / 2 = 3.1 s.
    const fast = t.clip(v, 'flash', 2.5, 2, 0.3);
    t.update(fast, { speed: 2 });
    // Trimmed again: flash at 4.5 + (1.5 − 1.0) = 5.0 s.
    t.clip(v, 'flash', 4.5, 1.5, 1.0);
    t.text(text, 'seams at 2 s and 4 s', 0.3, 5.4, { fontSize: 20 });
    snap = t.snap();

    // First a worker that never chunks: the reference single render.
    const reference = await env.startWorker({ threads: 1, minChunkedSeconds: 100 });
    single = await outputPath(env, await env.request(snap, 'mp4-720p'));
    await reference.stop();
    // Then two workers that share chunks of 2 s (one GOP): a 6 s render has three.
    await env.startWorker({ threads: 1, chunkSeconds: 2, minChunkedSeconds: 1 });
    await env.startWorker({ threads: 1, chunkSeconds: 2, minChunkedSeconds: 1 });
  });
  afterAll(() => env.close());

  it('keeps every flash and its beep within one frame (trim, 2× speed), single render', async () => {
    const flashes = flashTimes(await decodeFrames(env.binaries, single, { width: 64, height: 36 }));
    const beeps = beepTimes(await decodeAudio(env.binaries, single));
    expect(flashes.map((t) => Math.round(t * 10) / 10)).toEqual([0.8, 3.1, 5]);
    expect(beeps).toHaveLength(3);
    beeps.forEach((b, i) => expect(Math.abs(b - (flashes[i] ?? NaN))).toBeLessThanOrEqual(FRAME + 1e-6));
  });

  it('chunked: same duration, same frames (PSNR ≥ 45 dB), audio continuous across seams, still in sync', async () => {
    const render = await env.request(snap, 'mp4-720p');
    const done = await env.settled(render.id);
    expect(await modeOf(env, render.id)).toBe('chunked');
    expect(done.state, done.error ?? '').toBe('succeeded');
    chunked = (await env.storage.localFile(done.outputKey as string)).path;
    const parts = await env.db.sql<{ part: number; kind: string }[]>`select part, kind from render_parts where render_id = ${render.id} order by part`;
    expect(parts.map((p) => p.kind)).toEqual(['audio', 'video', 'video', 'video']);

    const a = await probeStreams(env.binaries, single);
    const b = await probeStreams(env.binaries, chunked);
    expect(Math.abs((a.video?.frames ?? 0) - (b.video?.frames ?? 0))).toBeLessThanOrEqual(1);
    expect(b.video?.frames).toBe(180);
    if (process.env.KEEP_RENDERS) {
      const { copyFile } = await import('node:fs/promises');
      await copyFile(single, '/tmp/rx/single.mp4');
      await copyFile(chunked, '/tmp/rx/chunked.mp4');
    }
    expect(await psnrOf(env, chunked, single)).toBeGreaterThanOrEqual(45);

    // Sync survives chunking.
    const flashes = flashTimes(await decodeFrames(env.binaries, chunked, { width: 64, height: 36 }));
    const samples = await decodeAudio(env.binaries, chunked);
    const beeps = beepTimes(samples);
    expect(beeps).toHaveLength(3);
    beeps.forEach((t, i) => expect(Math.abs(t - (flashes[i] ?? NaN))).toBeLessThanOrEqual(FRAME + 1e-6));
    // Audio is one piece: identical to the single render's mix around each seam.
    const reference = await decodeAudio(env.binaries, single);
    for (const seam of [2, 4]) {
      for (let i = (seam - 0.05) * 48000 * 2; i < (seam + 0.05) * 48000 * 2; i++) expect(Math.abs((samples[i] ?? 0) - (reference[i] ?? 0))).toBeLessThan(1e-3);
    }
  });

  it('has no audio gap longer than 1 ms at the seams of a continuous tone', async () => {
    const t = timeline({ width: 320, height: 240, fps: { num: FPS, den: 1 } });
    const v = t.track('video');
    t.asset('num', { kind: 'video', duration: 6.6, width: 320, height: 240, fps: { num: FPS, den: 1 }, hasAudio: true });
    t.clip(v, 'num', 0, 6, 0.2);
    const render = await env.request(t.snap(), 'mp4-720p');
    const path = await outputPath(env, render);
    expect(await modeOf(env, render.id)).toBe('chunked');
    const samples = await decodeAudio(env.binaries, path);
    let run = 0;
    let longest = 0;
    // Skip the first and last 50 ms (encoder priming and the end).
    for (let i = 4800; i < samples.length - 4800; i += 2) {
      run = Math.abs(samples[i] ?? 0) < 1e-4 && Math.abs(samples[i - 2] ?? 0) < 1e-4 ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest / 48).toBeLessThan(1);
    const frames = await decodeFrames(env.binaries, path, { width: 64, height: 36 });
    expect(frames).toHaveLength(180);
  });
});

async function modeOf(env: RenderEnv, renderId: string): Promise<string | null> {
  const [row] = await env.db.sql<{ mode: string | null }[]>`select mode from renders where id = ${renderId}`;
  return row?.mode ?? null;
}

async function psnrOf(env: RenderEnv, a: string, b: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(env.binaries.ffmpeg, ['-hide_banner', '-nostdin', '-i', a, '-i', b, '-lavfi', '[0:v][1:v]psnr', '-f', 'null', '-']);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const match = /PSNR .*average:([\d.]+|inf)/.exec(stderr);
      if (!match) return reject(new Error(`no PSNR in ${stderr.slice(-500)}`));
      resolve(match[1] === 'inf' ? Infinity : Number(match[1]));
    });
  });
}
