/**
 * A video's duration is its video stream's, the same on every FFmpeg build (FFmpeg 5 reads
 * the container of a 4.x-made MP4 as 2.024 s where its streams last 2 s).
 *
 * Header durations are checked (issue 12): an MP3 whose Xing/Info frame claims 10 hours —
 * a number anyone can write — becomes an asset of its real length, and so does one whose
 * claim is only a few times too long (plausible for its size: the proxy's decoded length
 * corrects it).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@cutline/shared/log';
import { assetKey, createLocalStorage, type Storage } from '@cutline/shared/storage';
import { createTestDatabase, type TestDatabase } from '@cutline/shared/testing';
import { probeMedia, type FfmpegBinaries } from '../src/ffmpeg/index.ts';
import { ingestAsset, type IngestDeps } from '../src/ingest/index.ts';
import { migrateWorkerSchema } from '@cutline/shared/worker-schema';
import { testBinaries } from './support/binaries.ts';
import { ffmpegTo } from './support/media.ts';
import { createUserAndProject, getAsset, insertUploadedAsset, testId } from './support/rows.ts';
import { createInProcessTimelineEditor } from './support/timeline.ts';

const SAMPLE_RATE = 44_100;
const SAMPLES_PER_FRAME = 1152; // MPEG-1 Layer III

/** A copy of `mp3` whose Xing/Info frame count claims `seconds`. */
async function withClaimedLength(mp3: string, out: string, seconds: number): Promise<void> {
  const data = Buffer.from(await readFile(mp3));
  const tag = Math.max(data.indexOf('Xing'), data.indexOf('Info'));
  if (tag < 0) throw new Error('the encoder wrote no Xing/Info frame');
  // Flags (4 bytes, big-endian); bit 0 says a frame count follows.
  if ((data.readUInt32BE(tag + 4) & 1) === 0) throw new Error('the Xing frame has no frame count');
  data.writeUInt32BE(Math.ceil((seconds * SAMPLE_RATE) / SAMPLES_PER_FRAME), tag + 8);
  await writeFile(out, data);
}

describe('ingest measures what a header claims', () => {
  let root: string;
  let db: TestDatabase;
  let binaries: FfmpegBinaries;
  let storage: Storage;
  let projectId: string;
  let userId: string;
  let real: string;
  const editor = createInProcessTimelineEditor();
  const deps = (): IngestDeps => ({ sql: db.sql, storage, binaries, timeline: editor, log: createLogger({ app: 'render-test', level: 'silent' }), workDir: join(root, 'work') });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cutline-ingest-duration-'));
    await mkdir(join(root, 'work'));
    binaries = testBinaries();
    real = join(root, 'real.mp3');
    await ffmpegTo({ binaries, args: ['-f', 'lavfi', '-i', `sine=frequency=440:duration=5:sample_rate=${SAMPLE_RATE}`, '-c:a', 'libmp3lame', '-b:a', '32k', real] });
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
    await migrateWorkerSchema({ databaseUrl: db.url });
    ({ projectId, userId } = await createUserAndProject(db.sql));
    storage = createLocalStorage({ root: join(root, 'storage') });
  });
  afterAll(async () => {
    await db?.drop();
    await rm(root, { recursive: true, force: true });
  });

  it('a video is as long as its picture, not its longer sound track or container', async () => {
    // 2 s of picture and 3 s of sound: the container (and FFmpeg 5's reading of any MP4
    // with AAC, by its encoder delay) is longer than the video.
    const path = join(root, 'long-sound.mp4');
    await ffmpegTo({
      binaries,
      args: ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', path],
    });
    const probe = await probeMedia({ binaries, path });
    expect(probe.durationUs).toBeGreaterThan(2.9e6); // the premise
    expect(probe.video[0]?.durationUs).toBe(2_000_000);

    const assetId = testId();
    const key = assetKey(assetId, 'original');
    const { size } = await storage.put(key, { path });
    await insertUploadedAsset(db.sql, { assetId, projectId, userId, name: 'long-sound.mp4', size, key });
    await ingestAsset(deps(), { assetId });
    const asset = await getAsset(db.sql, assetId);
    expect(asset, asset.failureReason ?? '').toMatchObject({ state: 'ready', kind: 'video', hasAudio: true });
    expect(Number(asset.durationUs)).toBe(2_000_000);
  });

  for (const [what, seconds] of [
    ['10 hours', 36_000],
    ['three times its length', 15],
  ] as const) {
    it(`an MP3 whose Xing frame claims ${what} is an asset of its real 5 s`, async () => {
      const lying = join(root, `claims-${seconds}.mp3`);
      await withClaimedLength(real, lying, seconds);
      // The premise: FFmpeg itself believes the header.
      expect((await probeMedia({ binaries, path: lying })).durationUs).toBeGreaterThan((seconds - 1) * 1e6);

      const assetId = testId();
      const key = assetKey(assetId, 'original');
      const { size } = await storage.put(key, { path: lying });
      await insertUploadedAsset(db.sql, { assetId, projectId, userId, name: `claims-${seconds}.mp3`, size, key });
      await ingestAsset(deps(), { assetId });
      const asset = await getAsset(db.sql, assetId);
      expect(asset, asset.failureReason ?? '').toMatchObject({ state: 'ready', kind: 'audio' });
      expect(Number(asset.durationUs)).toBeGreaterThan(4.8e6);
      expect(Number(asset.durationUs)).toBeLessThan(5.3e6);
    });
  }
});
