/**
 * Clear end states (issue 6): a bad preset is refused with a 400, a missing media file and
 * an FFmpeg failure fail the render once with a message that says why, cancel stops FFmpeg
 * and cleans up, and a transient error is retried.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRender, getRender, InvalidPresetError, listRenders, RenderFinishedError } from '@cutline/shared/renders';
import type { Storage } from '@cutline/shared/storage';
import type { TimelineSnapshot } from '@cutline/timeline';
import { createRenderEnv, type RenderEnv } from './support/render-env.ts';
import { numberedVideo } from './support/render-media.ts';
import { timeline } from './support/render-timeline.ts';

function clipTimeline(assetId: string, seconds: number, fps = { num: 30, den: 1 }): TimelineSnapshot {
  const t = timeline({ width: 320, height: 240, fps });
  const track = t.track('video');
  t.asset(assetId, { kind: 'video', duration: seconds, width: 320, height: 240, fps, hasAudio: false });
  t.clip(track, assetId, 0, seconds);
  return t.snap();
}

describe('render end states', () => {
  let env: RenderEnv;
  let long: TimelineSnapshot;
  beforeAll(async () => {
    env = await createRenderEnv();
    const path = await numberedVideo({ binaries: env.binaries, dir: env.dir, name: 'long.mp4', rate: '30', frames: 600 });
    await env.addAsset('long', path, { kind: 'video', width: 320, height: 240, durationUs: 20_000_000 });
    long = clipTimeline('long', 20);
  });
  afterAll(() => env.close());
  // The first tests need no worker (a queued render must stay queued).
  const ensureWorker = async () => {
    if (env.workers().length === 0) await env.startWorker({ threads: 1, minSlotsToChunk: 1 });
  };

  it('refuses an unknown preset with a 400 and a bad range likewise', async () => {
    const error = await env.request(long, 'mp4-4k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPresetError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_preset' });
    await expect(env.request(long, 'mp4-720p', { start: 5, end: 30 })).rejects.toMatchObject({ status: 400, code: 'invalid_range' });
    await expect(env.request(long, 'mp4-720p', { start: 5, end: 5 })).rejects.toMatchObject({ status: 400, code: 'invalid_range' });
    expect(await listRenders({ sql: env.db.sql, projectId: env.projectId })).toHaveLength(0);
  });

  it('cancels a queued render at once, and refuses to cancel a finished one', async () => {
    const render = await env.request(long, 'mp4-720p');
    const cancelled = await cancelRender({ sql: env.db.sql, renderId: render.id });
    expect(cancelled.state).toBe('cancelled');
    expect(await cancelRender({ sql: env.db.sql, renderId: render.id })).toMatchObject({ state: 'cancelled' });
    const jobs = await env.db.sql`select 1 from graphile_worker.jobs where key = ${`render:${render.id}`}`;
    expect(jobs).toHaveLength(0);
  });

  it('fails once, clearly, when a media file is missing from storage', async () => {
    await ensureWorker();
    const path = await numberedVideo({ binaries: env.binaries, dir: env.dir, name: 'gone.mp4', rate: '30', frames: 30 });
    await env.addAsset('gone', path, { kind: 'video', width: 320, height: 240, durationUs: 1_000_000 });
    await env.storage.delete('assets/gone/original');
    const render = await env.request(clipTimeline('gone', 1), 'mp4-720p');
    const done = await env.settled(render.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/original file of "gone\.media" \(gone\) is missing from storage/);
    // The row turns failed inside the task; Graphile completes the job once the task returns.
    // Completed on its first attempt, never retried: the job goes without a second attempt.
    const attempts: number[] = [];
    await expect
      .poll(async () => {
        const [job] = await env.db.sql<{ attempts: number }[]>`select attempts from graphile_worker.jobs where key = ${`render:${render.id}`}`;
        if (job) attempts.push(job.attempts);
        return job;
      })
      .toBeUndefined();
    expect(attempts.every((n) => n <= 1), `attempts seen: ${attempts.join(', ')}`).toBe(true);
  });

  it('fails with the useful part of FFmpeg stderr when the media cannot be decoded', async () => {
    await ensureWorker();
    const bogus = `${env.dir}/notes.mp4`;
    await writeFile(bogus, 'not a video\n'.repeat(100));
    await env.addAsset('notes', bogus, { kind: 'video', width: 320, height: 240, durationUs: 1_000_000 });
    const render = await env.request(clipTimeline('notes', 1), 'mp4-720p');
    const done = await env.settled(render.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/^FFmpeg failed:\n/);
    expect(done.error).toMatch(/Invalid data found when processing input/);
  });

  it('fails a render whose stored preset is unknown (a row written by an older version)', async () => {
    await ensureWorker();
    const render = await env.request(clipTimeline('long', 1), 'mp4-720p');
    await env.db.sql`update renders set preset = 'mov-prores' where id = ${render.id}`;
    const done = await env.settled(render.id);
    // The worker may have started before the update; either way the end state is clear.
    if (done.state === 'failed') expect(done.error).toMatch(/Unknown preset "mov-prores"/);
    else expect(done.state).toBe('succeeded');
  });

  for (const [name, seconds] of [
    ['a single render', 15],
    ['a chunked render (the parts)', 20],
  ] as const) {
    it(`cancel of ${name} stops FFmpeg, removes temp files and stores nothing`, async () => {
      await ensureWorker();
      // Listening before the request: an idle worker can take the job before request()
      // returns, and a start missed then would count as "FFmpeg never ran".
      let renderId: string | null = null;
      let cancelled = false;
      const payloadRender = (payload: unknown) => (typeof payload === 'object' && payload !== null && 'renderId' in payload ? payload.renderId : null);
      const startedBy = new Map<unknown, Set<string>>();
      const endedBy = new Map<unknown, Set<string>>();
      const add = (map: Map<unknown, Set<string>>, key: unknown, id: string) => map.set(key, (map.get(key) ?? new Set()).add(id));
      const active = () => [...(startedBy.get(renderId) ?? [])].filter((id) => !endedBy.get(renderId)?.has(id)).length;
      let allDone: () => void = () => {};
      const idle = new Promise<void>((resolve) => (allDone = resolve));
      for (const w of env.workers()) {
        w.runner.events.on('job:start', ({ job }) => void add(startedBy, payloadRender(job.payload), job.id));
        w.runner.events.on('job:complete', ({ job }) => {
          add(endedBy, payloadRender(job.payload), job.id);
          if (cancelled && payloadRender(job.payload) === renderId && active() === 0) allDone();
        });
      }
      const render = await env.request(seconds === 20 ? long : clipTimeline('long', seconds), 'mp4-1080p');
      renderId = render.id;
      await env.event(render.id, (e) => e.state === 'running' && e.progress > 0);
      const at = Date.now();
      await cancelRender({ sql: env.db.sql, renderId: render.id });
      cancelled = true;
      if (active() === 0) allDone();
      await idle;
      if (process.env.DEBUG_CANCEL) console.log(`${name}: every job ended ${Date.now() - at} ms after cancel`);
      expect(startedBy.get(render.id)?.size ?? 0).toBeGreaterThan(0);
      const row = await getRender({ sql: env.db.sql, renderId: render.id });
      expect(row).toMatchObject({ state: 'cancelled', outputKey: null });
      expect((await readdir(env.dir)).filter((entry) => entry.startsWith('cutline-render-'))).toEqual([]);
      expect(await env.storage.exists(`renders/${render.id}/output.mp4`)).toBe(false);
    });
  }

  it('retries a transient storage error and still stores exactly one output', async () => {
    for (const w of env.workers()) await w.stop();
    let failures = 1;
    const flaky: Storage = {
      ...env.storage,
      async put(key, source, options) {
        if (key.includes('/output.') && failures-- > 0) throw new Error('connect ECONNRESET (simulated)');
        return env.storage.put(key, source, options);
      },
    };
    await env.startWorker({ threads: 1 }, 1, flaky);
    const render = await env.request(clipTimeline('long', 1), 'mp4-720p');
    const done = await env.settled(render.id);
    expect(done.state, done.error ?? '').toBe('succeeded');
    expect(failures).toBeLessThan(0);
    expect(await readdir(`${env.storageDir}/renders/${render.id}`)).toEqual(['output.mp4']);
    expect((await getRender({ sql: env.db.sql, renderId: render.id }))?.outputBytes).toBeGreaterThan(0);
    await expect(cancelRender({ sql: env.db.sql, renderId: render.id })).rejects.toBeInstanceOf(RenderFinishedError);
  });
});
