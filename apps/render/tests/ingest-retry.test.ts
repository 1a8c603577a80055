/**
 * What ingest does when the world misbehaves: the sync server is down (transient: throw,
 * keep the work, retry registers without redoing it), the edit is refused for good
 * (failed), the job runs twice, the last retry is used up, the original is missing.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@cutline/shared/config';
import { enqueue, ingestJob } from '@cutline/shared/jobs';
import { createLogger } from '@cutline/shared/log';
import { assetKey, createLocalStorage, type Storage } from '@cutline/shared/storage';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import type { FfmpegBinaries } from '../src/ffmpeg/index.ts';
import { testBinaries } from './support/binaries.ts';
import { ingestAsset, type IngestDeps } from '../src/ingest/index.ts';
import { migrateWorkerSchema } from '@cutline/shared/worker-schema';
import { startRenderWorker } from '../src/worker.ts';
import { ffmpegTo } from './support/media.ts';
import { createUserAndProject, getAsset, insertUploadedAsset, testId } from './support/rows.ts';
import { createInProcessTimelineEditor } from './support/timeline.ts';

describe('ingest retries and refusals', () => {
  let root: string;
  let db: TestDatabase;
  let binaries: FfmpegBinaries;
  let clip: string;
  let projectId: string;
  let userId: string;
  let puts = 0;
  let storage: Storage;
  const editor = createInProcessTimelineEditor();
  const log = createLogger({ app: 'render-test', level: process.env.TEST_LOG ?? 'silent' });
  const deps = (): IngestDeps => ({ sql: db.sql, storage, binaries, timeline: editor, log, workDir: join(root, 'work') });

  /** A fresh uploaded asset holding the test clip. */
  async function upload(): Promise<string> {
    const assetId = testId();
    const key = assetKey(assetId, 'original');
    const { size } = await storage.put(key, { path: clip });
    await insertUploadedAsset(db.sql, { assetId, projectId, userId, name: 'clip.mp4', size, key });
    return assetId;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cutline-ingest-retry-'));
    await mkdir(join(root, 'work'));
    binaries = testBinaries();
    clip = join(root, 'clip.mp4');
    await ffmpegTo({
      binaries,
      args: ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
    });
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    await migrateWorkerSchema({ databaseUrl: db.url });
    ({ projectId, userId } = await createUserAndProject(db.sql));
    const local = createLocalStorage({ root: join(root, 'storage') });
    // Counts derived files written, to prove a retry does not redo the media work.
    storage = {
      ...local,
      put: (key, source, options) => {
        if (!key.endsWith('/original')) puts += 1;
        return local.put(key, source, options);
      },
    };
  });
  afterAll(async () => {
    await db?.drop();
    await rm(root, { recursive: true, force: true });
  });

  it('sync unreachable: throws for a retry, keeps the work; the retry only registers', async () => {
    const assetId = await upload();
    editor.failNext(1);
    const before = puts;
    await expect(ingestAsset(deps(), { assetId })).rejects.toThrow(/ECONNREFUSED/);
    const pending = await getAsset(db.sql, assetId);
    expect(pending).toMatchObject({ state: 'processing', kind: 'video', failureReason: null });
    expect(pending.proxyKey).toBe(`assets/${assetId}/proxy.mp4`);
    expect(await storage.exists(pending.proxyKey ?? '')).toBe(true);
    const written = puts - before;
    expect(written).toBe(3);

    expect(await ingestAsset(deps(), { assetId })).toEqual({ state: 'ready' });
    expect(puts - before).toBe(written);
    expect((await getAsset(db.sql, assetId)).state).toBe('ready');
    expect(editor.snapshot(`project/${projectId}/timeline`).assets.map((a) => a.id)).toContain(assetId);
  });

  it('running again on a ready asset changes nothing (already registered is fine)', async () => {
    const assetId = await upload();
    expect(await ingestAsset(deps(), { assetId })).toEqual({ state: 'ready' });
    const before = puts;
    expect(await ingestAsset(deps(), { assetId })).toEqual({ state: 'ready' });
    expect(puts).toBe(before);
    expect(editor.snapshot(`project/${projectId}/timeline`).assets.filter((a) => a.id === assetId)).toHaveLength(1);
  });

  it('an edit refused for good (uploader may no longer edit) fails the asset and removes its files', async () => {
    const assetId = await upload();
    editor.failNext(1, () => Object.assign(new Error('viewers may not edit the timeline'), { code: 'forbidden' }));
    expect(await ingestAsset(deps(), { assetId })).toMatchObject({ state: 'failed' });
    const asset = await getAsset(db.sql, assetId);
    expect(asset.state).toBe('failed');
    expect(asset.failureReason).toBe('The file was processed but could not be added to the project timeline: viewers may not edit the timeline');
    expect(asset.proxyKey).toBeNull();
    expect(await storage.exists(`assets/${assetId}/proxy.mp4`)).toBe(false);
    expect(await storage.exists(`assets/${assetId}/original`)).toBe(true);
  });

  it('an original missing from storage is a failed asset, not a retry loop', async () => {
    const assetId = await upload();
    await storage.delete(assetKey(assetId, 'original'));
    expect(await ingestAsset(deps(), { assetId })).toEqual({ state: 'failed', reason: 'The uploaded file is missing from storage; please upload it again.' });
  });

  it('an asset deleted before its job ran is skipped', async () => {
    expect(await ingestAsset(deps(), { assetId: 'nosuchasset' })).toEqual({ state: 'missing' });
  });

  it('through the worker: the last failed attempt marks the asset failed instead of leaving it processing', async () => {
    const assetId = await upload();
    const worker = await startRenderWorker({ config: loadConfig({ DATABASE_URL: db.url }), databaseUrl: db.url, port: 0, ...deps() });
    try {
      const failed = new Promise<string>((resolve) => {
        worker.runner.events.on('job:complete', ({ job, error }) => resolve(`${job.attempts}/${job.max_attempts} ${String(error)}`));
      });
      editor.failNext(1);
      await enqueue(db.sql, { ...ingestJob({ assetId }), maxAttempts: 1 });
      expect(await failed).toMatch(/^1\/1 Error: connect ECONNREFUSED/);
      const asset = await getAsset(db.sql, assetId);
      expect(asset.state).toBe('failed');
      expect(asset.failureReason).toMatch(/^Processing kept failing and was given up: connect ECONNREFUSED/);
      expect(await storage.exists(`assets/${assetId}/proxy.mp4`)).toBe(false);
    } finally {
      await worker.stop();
    }
    expect(await readdir(join(root, 'work'))).toEqual([]);
  });
});
