import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Sql } from '@cutline/shared/db';
import { documentName } from '@cutline/shared/policy';
import { describeError } from '@cutline/shared/errors';
import { publishProjectEvent } from '@cutline/shared/events';
import type { Logger } from '@cutline/shared/log';
import type { AssetState } from '@cutline/shared/states';
import { assetKey, StorageNotFoundError, type LocalFile, type Storage } from '@cutline/shared/storage';
import {
  chooseFrameRate,
  FfmpegAbortedError,
  FfmpegError,
  frameRateFromCount,
  probeMedia,
  runFfmpeg,
  scanStream,
  type FfmpegArgs,
  type FfmpegBinaries,
  type FrameRate,
  type MediaProbe,
} from '../ffmpeg/index.ts';
import {
  getAssetForIngest,
  markFailed,
  markProcessing,
  markReady,
  saveIngestFacts,
  type IngestAssetRow,
  type IngestFacts,
} from '@cutline/shared/assets';
import { checkDuration, classifyMedia, type Classified } from './classify.ts';
import { MediaRejectedError } from './errors.ts';
import { planFilmstrip, planImageThumbnail } from './plan-filmstrip.ts';
import { planAudioProxy, planImageProxy, planVideoProxy } from './plan-proxy.ts';
import { EMPTY_FILE, looksTruncated, rejectionForConversionFailure, rejectionForProbeFailure, TRUNCATED_DATA } from './reasons.ts';
import { registerCommand } from './register-command.ts';
import { classifyEditError, type TimelineEditor } from './timeline-editor.ts';
import { PeakAccumulator, planWaveformDecode, samplesPerBucketFor, WAVEFORM } from './waveform.ts';
import { makeWorkDir } from '../work-dirs.ts';

export type IngestDeps = {
  sql: Sql;
  storage: Storage;
  binaries: FfmpegBinaries;
  timeline: TimelineEditor;
  log: Logger;
  /** Parent of each job's temp directory (default: the OS temp dir). */
  workDir: string;
};

export type IngestOutcome = { state: 'ready' | 'failed' | 'missing'; reason?: string };

type JobContext = { assetId: string; requestId?: string | undefined; signal?: AbortSignal | undefined };

/**
 * One ingest run: probe the original, write proxy / filmstrip / waveform, record the
 * facts, register the asset in the project timeline, mark it ready. A bad file ends in
 * `failed` with a reason (resolves); anything that may work next time (database, storage,
 * sync, a shutdown) throws so Graphile retries. Safe to run again at any point.
 */
export async function ingestAsset(deps: IngestDeps, job: JobContext): Promise<IngestOutcome> {
  const { sql, storage, log } = deps;
  let row = await getAssetForIngest(sql, job.assetId);
  if (!row) {
    log.warn({ assetId: job.assetId }, 'ingest: asset no longer exists');
    return { state: 'missing' };
  }

  // Ready means registered already (registration comes first): a duplicate job has nothing to do.
  if (row.state === 'ready') return { state: 'ready' };

  if (!(row.state === 'processing' && (await processedEarlier(storage, row)))) {
    // False only if the row went away or turned ready since we read it.
    if (!(await markProcessing(sql, row.id))) return { state: (await getAssetForIngest(sql, row.id)) ? 'ready' : 'missing' };
    await publish(sql, row, 'processing');
    let facts: IngestFacts;
    try {
      facts = await processMedia(deps, row, job);
    } catch (error) {
      if (!(error instanceof MediaRejectedError)) throw error;
      log.info({ assetId: row.id, reason: error.reason, cause: describeError(error.cause) }, 'ingest: media rejected');
      return fail(deps, row, error.reason);
    }
    await saveIngestFacts(sql, row.id, facts);
    row = (await getAssetForIngest(sql, job.assetId)) ?? row;
  }

  try {
    await deps.timeline.apply({
      documentName: documentName(row.projectId, 'timeline'),
      origin: { source: 'api', userId: row.actorId },
      commands: [registerCommand(row)],
      requestId: job.requestId,
    });
  } catch (error) {
    const failure = classifyEditError(error);
    if (failure === 'conflict') {
      // A previous attempt registered it and then failed before marking the row ready.
      log.info({ assetId: row.id }, 'ingest: asset was already in the timeline');
    } else if (failure === 'permanent') {
      await deleteQuietly(storage, [row.proxyKey, row.filmstripKey, row.waveformKey]);
      return fail(deps, row, `The file was processed but could not be added to the project timeline: ${describeError(error)}`);
    } else {
      throw error;
    }
  }

  if (await markReady(sql, row.id)) await publish(sql, row, 'ready');
  log.info({ assetId: row.id, kind: row.kind }, 'ingest: asset ready');
  return { state: 'ready' };
}

/** After the last retry of a transient failure: the asset must not stay "processing". */
export async function giveUp(deps: IngestDeps, assetId: string, error: unknown): Promise<void> {
  const row = await getAssetForIngest(deps.sql, assetId);
  if (!row || row.state === 'ready') return;
  await deleteQuietly(deps.storage, [row.proxyKey, row.filmstripKey, row.waveformKey]);
  await fail(deps, row, `Processing kept failing and was given up: ${describeError(error)}`);
}

async function fail(deps: IngestDeps, row: IngestAssetRow, reason: string): Promise<IngestOutcome> {
  if (await markFailed(deps.sql, row.id, reason)) await publish(deps.sql, row, 'failed', reason);
  return { state: 'failed', reason };
}

function publish(sql: Sql, row: IngestAssetRow, state: AssetState, reason?: string): Promise<void> {
  return publishProjectEvent(sql, { type: 'asset.updated', projectId: row.projectId, assetId: row.id, state, ...(reason ? { reason } : {}) });
}

async function deleteQuietly(storage: Storage, keys: (string | null)[]): Promise<void> {
  // Best effort: an orphaned derived file is harmless, a masked original error is not.
  await Promise.all(keys.map((key) => (key ? storage.delete(key).catch(() => {}) : undefined)));
}

/** A previous attempt finished processing (facts saved, files stored) but not registering. */
async function processedEarlier(storage: Storage, row: IngestAssetRow): Promise<boolean> {
  if (!row.kind || row.probe === null) return false;
  if (row.kind !== 'image' && !row.durationUs) return false;
  const keys = [row.proxyKey, row.filmstripKey, row.waveformKey].filter((key): key is string => key !== null);
  if (keys.length === 0) return false;
  for (const key of keys) if (!(await storage.exists(key))) return false;
  return true;
}

const CONTENT_TYPES: Record<string, string> = { mp4: 'video/mp4', m4a: 'audio/mp4', jpg: 'image/jpeg', png: 'image/png', json: 'application/json' };

// Below any real codec's rate (speech codecs start near 5 kbit/s): a header claiming more
// time than the file's bytes can hold gets its claim checked against the packets.
const MIN_PLAUSIBLE_BITS_PER_SECOND = 2000;
const implausiblyLong = (durationUs: number, bytes: number) => (bytes * 8) / (durationUs / 1e6) < MIN_PLAUSIBLE_BITS_PER_SECOND;

/** Claimed and decoded lengths differ by more than rounding and encoder padding. */
const disagrees = (claimedUs: number, decodedUs: number) => Math.abs(claimedUs - decodedUs) > Math.max(1_000_000, 0.02 * claimedUs);

/** Generous: proxies of long 4K sources on two cores run slower than real time. */
const timeoutFor = (durationUs: number | null) => 30 * 60_000 + 4 * Math.round((durationUs ?? 0) / 1000);

async function processMedia(deps: IngestDeps, row: IngestAssetRow, job: JobContext): Promise<IngestFacts> {
  const { storage, binaries, log } = deps;
  const signal = job.signal;
  const written: string[] = [];
  const temp = await makeWorkDir({ parent: deps.workDir, kind: 'ingest' });
  let original: LocalFile | undefined;

  /** Runs one ffmpeg command; a file that breaks ffmpeg is the file's fault, not a retry's. */
  const ffmpeg = async (what: string, args: FfmpegArgs, output: string | Writable, durationUs: number | null, input = original?.path): Promise<void> => {
    if (!input) throw new Error('ingest: no input file');
    const started = Date.now();
    let nextReport = 0.25;
    // Long media takes minutes per step; a line per quarter shows the job is moving.
    const onProgress = (fraction: number) => {
      if (fraction < nextReport) return;
      log.debug({ assetId: row.id, step: what, progress: Math.round(fraction * 100) / 100 }, 'ingest: ffmpeg progress');
      nextReport = Math.floor(fraction * 4) / 4 + 0.25;
    };
    let result: { stderr: string };
    try {
      result = await runFfmpeg({
        binaries,
        inputs: [{ path: input, options: args.inputOptions }],
        outputOptions: args.outputOptions,
        output,
        expected: { durationUs },
        onProgress,
        signal,
        timeoutMs: timeoutFor(durationUs),
      });
    } catch (error) {
      if (error instanceof FfmpegError && !(error instanceof FfmpegAbortedError) && error.exitCode !== null) throw rejectionForConversionFailure(error, what);
      throw error;
    }
    if (looksTruncated(result.stderr)) throw new MediaRejectedError(TRUNCATED_DATA);
    log.debug({ assetId: row.id, step: what, ms: Date.now() - started }, 'ingest: ffmpeg step done');
  };

  const store = async (name: string, path: string): Promise<string> => {
    const key = assetKey(row.id, name);
    await storage.put(key, { path }, { contentType: CONTENT_TYPES[name.split('.').at(-1) ?? ''] ?? 'application/octet-stream' });
    written.push(key);
    return key;
  };

  try {
    let size: number;
    try {
      size = (await storage.stat(row.originalKey)).size;
    } catch (error) {
      if (error instanceof StorageNotFoundError) throw new MediaRejectedError('The uploaded file is missing from storage; please upload it again.');
      throw error;
    }
    if (size === 0) throw new MediaRejectedError(EMPTY_FILE);
    original = await storage.localFile(row.originalKey);

    let probe: MediaProbe;
    try {
      probe = await probeMedia({ binaries, path: original.path, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (error instanceof FfmpegError && !(error instanceof FfmpegAbortedError) && error.exitCode !== null) throw rejectionForProbeFailure(error);
      throw error;
    }
    const media = classifyMedia(probe);
    const path = original.path;
    let scanned: { durationUs: number | null; packets: number } | undefined;
    const scan = async (streamIndex: number) => (scanned ??= await scanStream({ binaries, path, streamIndex, ...(signal ? { signal } : {}) }));

    const base = { probe: describeProbe(probe, media, null), proxyKey: null, filmstripKey: null, waveformKey: null, filmstrip: null };

    if (media.kind === 'image' && media.video) {
      const image = media.video;
      const proxy = planImageProxy({ image });
      await ffmpeg('make a preview of the image', proxy.args, join(temp, `proxy.${proxy.extension}`), null);
      const thumb = planImageThumbnail({ image });
      await ffmpeg('make a thumbnail of the image', thumb.args, join(temp, `thumb.${thumb.extension}`), null);
      return {
        ...base,
        kind: 'image',
        durationUs: null,
        width: image.width,
        height: image.height,
        fpsNum: null,
        fpsDen: null,
        hasAudio: false,
        proxyKey: await store(`proxy.${proxy.extension}`, join(temp, `proxy.${proxy.extension}`)),
        filmstripKey: await store(`filmstrip.${thumb.extension}`, join(temp, `thumb.${thumb.extension}`)),
        filmstrip: thumb.layout,
      };
    }

    const primary = media.video ?? media.audio;
    if (!primary) throw new MediaRejectedError('The file has no video or audio stream.');
    // MediaRecorder WebMs carry no duration in their header: measure the packets instead.
    // A header can also lie (an MP3's Xing frame count is just a number): a claim the file
    // is far too small to hold is checked against the packets too, and the proxy — every
    // decoded frame — has the last word below.
    //
    // The asset's length is its primary stream's (the video's, for a video), not the
    // container's: that is the longest stream, and FFmpeg versions disagree on it — 5.x
    // counts the AAC encoder delay of an MP4's audio edit list that 4.x does not (2.024 s
    // against 2.000 s for the same file), and a sound track may simply run on past the
    // picture. Streams without a length of their own (Matroska/WebM) take the container's.
    const headerDuration = primary.durationUs !== null && primary.durationUs > 0 ? primary.durationUs : probe.durationUs;
    const claimed = headerDuration && headerDuration > 0 ? headerDuration : null;
    let durationUs = checkDuration(media.kind, claimed !== null && !implausiblyLong(claimed, size) ? claimed : ((await scan(primary.index)).durationUs ?? claimed));
    /** The proxy's own duration, when it shows the source decodes to clearly less. */
    const measured = async (proxyPath: string) => {
      if (durationUs === null) return;
      const proxyProbe = await probeMedia({ binaries, path: proxyPath, ...(signal ? { signal } : {}) });
      // Like with like: the proxy's stream of the asset's kind (its container is as long as
      // its longest stream).
      const stream = media.kind === 'video' ? proxyProbe.video[0] : proxyProbe.audio[0];
      const decoded = stream?.durationUs ?? proxyProbe.durationUs;
      if (decoded === null || decoded <= 0 || !disagrees(durationUs, decoded)) return;
      log.warn({ assetId: row.id, claimedUs: durationUs, decodedUs: decoded }, 'ingest: the header claims a longer duration than the media holds; using the decoded one');
      durationUs = checkDuration(media.kind, decoded);
    };

    /** Peaks of the whole sound, after the proxy settled the duration (bucket size). */
    const waveform = async (): Promise<string | null> => {
      if (!media.audio) return null;
      const peaks = new PeakAccumulator(samplesPerBucketFor(durationUs ?? 0));
      // emitClose false: the sink ends with ffmpeg's stdout, and nothing reads 'close'.
      const sink = new Writable({
        emitClose: false,
        write(chunk: Buffer, _encoding, callback) {
          peaks.push(chunk);
          callback();
        },
      });
      await ffmpeg('read the audio', planWaveformDecode({ audio: media.audio }), sink, durationUs);
      await writeFile(join(temp, 'waveform.json'), JSON.stringify(peaks.finish({ sampleRate: WAVEFORM.sampleRate })));
      return store('waveform.json', join(temp, 'waveform.json'));
    };

    if (media.kind === 'audio' && media.audio) {
      await ffmpeg('convert the audio', planAudioProxy({ audio: media.audio }).args, join(temp, 'proxy.m4a'), durationUs);
      await measured(join(temp, 'proxy.m4a'));
      const waveformKey = await waveform();
      return {
        ...base,
        kind: 'audio',
        durationUs,
        width: null,
        height: null,
        fpsNum: null,
        fpsDen: null,
        hasAudio: true,
        proxyKey: await store('proxy.m4a', join(temp, 'proxy.m4a')),
        waveformKey,
      };
    }

    const video = media.video;
    if (!video) throw new MediaRejectedError('The file has no video stream.');
    const rate: FrameRate =
      chooseFrameRate({ avg: video.avgFrameRate, real: video.realFrameRate }) ??
      frameRateFromCount((await scan(video.index)).packets, durationUs ?? 0) ?? { fps: { num: 30, den: 1 }, variable: true };
    const proxy = planVideoProxy({ video, audio: media.audio, fps: rate.fps });
    const proxyPath = join(temp, 'proxy.mp4');
    await ffmpeg('convert the video', proxy.args, proxyPath, durationUs);
    await measured(proxyPath);
    const waveformKey = await waveform();
    const filmstrip = planFilmstrip({ durationUs: durationUs ?? 0, width: proxy.width, height: proxy.height });
    await ffmpeg('make the filmstrip', filmstrip.args, join(temp, 'filmstrip.jpg'), durationUs, proxyPath);
    return {
      ...base,
      probe: describeProbe(probe, media, { rate, proxy: { width: proxy.width, height: proxy.height, fps: proxy.fps } }),
      kind: 'video',
      durationUs,
      width: video.width,
      height: video.height,
      fpsNum: rate.fps.num,
      fpsDen: rate.fps.den,
      hasAudio: media.audio !== null,
      proxyKey: await store('proxy.mp4', proxyPath),
      filmstripKey: await store('filmstrip.jpg', join(temp, 'filmstrip.jpg')),
      filmstrip: filmstrip.layout,
      waveformKey,
    };
  } catch (error) {
    await deleteQuietly(storage, written);
    throw error;
  } finally {
    await original?.release();
    await rm(temp, { recursive: true, force: true });
  }
}

/** What goes into assets.probe: the typed probe plus which streams ingest used and why. */
function describeProbe(
  probe: MediaProbe,
  media: Classified,
  video: { rate: FrameRate; proxy: { width: number; height: number; fps: { num: number; den: number } } } | null,
): unknown {
  return {
    ...probe,
    ingest: {
      kind: media.kind,
      videoStream: media.video?.index ?? null,
      audioStream: media.audio?.index ?? null,
      rotation: media.video?.rotation ?? 0,
      sampleRate: media.audio?.sampleRate ?? null,
      channels: media.audio?.channels ?? null,
      variableFrameRate: video?.rate.variable ?? false,
      proxy: video?.proxy ?? null,
    },
  };
}
