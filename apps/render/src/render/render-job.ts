// The render task bodies. Thin on purpose: compile() and planChunks() decide,
// these fetch the media, run FFmpeg, store the result and report.
//
// - `render` {renderId}: marks the render running, plans it, and either renders it in one
//   FFmpeg run or splits it into parts (video chunks + one audio part), each its own job.
// - `render-part` {renderId, part}: renders one part into storage; the last one to finish
//   queues `render-finalize`.
// - `render-finalize` {renderId}: joins the chunks without re-encoding (concat demuxer),
//   muxes the audio part, stores the output.
//
// Outputs are stored with storage.put (a temp name moved into place), under keys derived
// from the render id, so a retry after a crash overwrites rather than duplicates, and no
// half file is ever served. Errors: a bad preset, an invalid snapshot, a missing media
// file or an FFmpeg error fail the render at once with a clear message; anything else
// (database, storage, a shutdown) is thrown for Graphile to retry with backoff.

import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from '@cutline/shared/db';
import { describeError } from '@cutline/shared/errors';
import { fontFile, fontMetrics } from '@cutline/shared/fonts';
import type { Logger } from '@cutline/shared/log';
import { finalizeJob, partJob } from '@cutline/shared/jobs';
import { getPreset, InvalidPresetError, publishRender, type Preset } from '@cutline/shared/renders';
import type { RenderState } from '@cutline/shared/states';
import { StorageNotFoundError, type LocalFile, type Storage } from '@cutline/shared/storage';
import { nearestFrameIndex, TimelineError, validateSnapshot, type TimelineSnapshot } from '@cutline/timeline';
import {
  compile,
  CompileError,
  gopFrames,
  planAudio,
  planChunks,
  planJoin,
  planVisualLayers,
  type CompileAsset,
  type FontProvider,
  type FrameRange,
  type OutputKind,
} from '../compile/index.ts';
import { FfmpegAbortedError, FfmpegError, runFfmpeg, type FfmpegBinaries } from '../ffmpeg/index.ts';
import { getAssetFiles } from '@cutline/shared/assets';
import type { RenderFarm, RenderWatch } from './farm.ts';
import {
  completePart,
  fanOut,
  getPart,
  getParts,
  getRenderForJob,
  markFailed,
  markRunning,
  markSucceeded,
  setMode,
  setPartProgress,
  setRenderProgress,
  type PartSpec,
  type RenderJobRow,
} from './queries.ts';
import { makeWorkDir } from '../work-dirs.ts';
import { runCompiled, writeCompiledFiles } from './run-compiled.ts';

export type RenderDeps = {
  sql: Sql;
  storage: Storage;
  binaries: FfmpegBinaries;
  log: Logger;
  workDir: string;
  farm: RenderFarm;
};

export type JobInfo = { attempts: number; maxAttempts: number; shutdown: AbortSignal };

/** A failure retrying cannot fix: the render fails at once with this message. */
export class PermanentRenderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentRenderError';
  }
}

export const fonts: FontProvider = { file: (family) => fontFile(family), metrics: (family) => fontMetrics(family) };

export const outputKey = (renderId: string, extension: string) => `renders/${renderId}/output.${extension}`;
const partKey = (renderId: string, part: number, extension: string) => `renders/${renderId}/parts/${part < 0 ? 'audio' : `video-${part}`}.${extension}`;

type Loaded = { row: RenderJobRow; preset: Preset; snapshot: TimelineSnapshot; range: FrameRange };

function load(row: RenderJobRow): Loaded {
  let preset: Preset;
  try {
    preset = getPreset(row.preset);
  } catch (error) {
    throw new PermanentRenderError(error instanceof InvalidPresetError ? error.message : describeError(error));
  }
  let snapshot: TimelineSnapshot;
  try {
    snapshot = validateSnapshot(row.pinnedSnapshot);
  } catch (error) {
    throw new PermanentRenderError(`The pinned timeline is not valid: ${describeError(error)}`);
  }
  const fps = snapshot.settings.fps;
  const startUs = row.rangeStartUs ?? 0;
  const endUs = row.rangeEndUs ?? Math.round(snapshot.duration * 1e6);
  const range = { start: nearestFrameIndex(startUs, fps), end: nearestFrameIndex(endUs, fps) };
  if (range.end <= range.start) throw new PermanentRenderError('The render range holds no frame');
  return { row, preset, snapshot, range };
}

/** Turns an error into the render's end state, or rethrows it for Graphile to retry. */
async function settle(deps: RenderDeps, renderId: string, job: JobInfo, watch: RenderWatch | null, error: unknown): Promise<void> {
  const why = watch?.reason() ?? null;
  if (why === 'cancelled' || why === 'failed' || why === 'finished') {
    deps.log.info({ renderId, why }, 'render: job stopped, the render is no longer running');
    return;
  }
  const permanent = permanentMessage(error);
  if (permanent !== null || job.attempts >= job.maxAttempts) {
    if (job.shutdown.aborted && permanent === null) throw error;
    const message = permanent ?? `Rendering kept failing and was given up: ${describeError(error)}`;
    deps.log.warn({ renderId, err: error }, `render failed: ${message.split('\n')[0]}`);
    await markFailed(deps.sql, renderId, message);
    return;
  }
  deps.log.warn({ renderId, attempts: job.attempts, err: error }, `render: attempt failed, will retry: ${describeError(error)}`);
  throw error;
}

function permanentMessage(error: unknown): string | null {
  if (error instanceof PermanentRenderError) return error.message;
  if (error instanceof CompileError) return `The timeline cannot be rendered: ${error.message}`;
  if (error instanceof TimelineError) return `The timeline cannot be rendered: ${error.message}`;
  if (error instanceof FfmpegAbortedError) return null;
  if (error instanceof FfmpegError && error.exitCode !== null) {
    // Out of disk space may pass; a graph or media error will not.
    if (/No space left on device|Cannot allocate memory/i.test(error.stderrTail)) return null;
    return `FFmpeg failed${error.stderrTail ? `:\n${error.stderrTail}` : ''}`;
  }
  return null;
}

async function withWorkDir<T>(deps: RenderDeps, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await makeWorkDir({ parent: deps.workDir, kind: 'render' });
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Local copies (or paths) of the originals the range needs; release them when done. */
async function openAssets(deps: RenderDeps, loaded: Loaded, range: FrameRange, kind: OutputKind): Promise<{ assets: Map<string, CompileAsset>; release(): Promise<void> }> {
  const { snapshot } = loaded;
  const fps = snapshot.settings.fps;
  const ids = new Set<string>();
  if (kind !== 'audio-part' && loaded.preset.video) {
    for (const layer of planVisualLayers({ snapshot, range })) if ('assetId' in layer.content) ids.add(layer.content.assetId);
  }
  if (kind !== 'video-chunk' && loaded.preset.audio) {
    const startUs = Math.round((range.start * fps.den * 1e6) / fps.num);
    const endUs = Math.round((range.end * fps.den * 1e6) / fps.num);
    for (const piece of planAudio({ snapshot, startUs, endUs })) ids.add(piece.segment.assetId);
  }
  const rows = new Map((await getAssetFiles(deps.sql, loaded.row.projectId, [...ids])).map((r) => [r.id, r]));
  const opened: LocalFile[] = [];
  const assets = new Map<string, CompileAsset>();
  const release = async () => void (await Promise.all(opened.map((f) => f.release().catch(() => {}))));
  try {
    for (const id of ids) {
      const row = rows.get(id);
      const facts = snapshot.assets.find((a) => a.id === id);
      const name = row?.name ?? facts?.name ?? id;
      if (!row) throw new PermanentRenderError(`The media "${name}" (${id}) is not in this project any more`);
      let file: LocalFile;
      try {
        file = await deps.storage.localFile(row.originalKey);
      } catch (error) {
        if (error instanceof StorageNotFoundError) throw new PermanentRenderError(`The original file of "${name}" (${id}) is missing from storage`);
        throw error;
      }
      opened.push(file);
      assets.set(id, { path: file.path, width: row.width ?? facts?.width ?? null, height: row.height ?? facts?.height ?? null });
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { assets, release };
}

/** Publishes progress at most every `progressIntervalMs`, never going backwards. */
function progressReporter(deps: RenderDeps, write: (fraction: number) => Promise<{ id: string; projectId: string; state: RenderState; progress: number; error: string | null } | null>) {
  let last = 0;
  let busy = false;
  return (fraction: number) => {
    const now = Date.now();
    if (busy || now - last < deps.farm.options.progressIntervalMs) return;
    busy = true;
    last = now;
    write(fraction)
      .then((row) => (row ? publishRender(deps.sql, row) : undefined))
      .catch((error: unknown) => deps.log.debug({ err: error }, 'render: progress write failed'))
      .finally(() => (busy = false));
  };
}

/** Compiles and runs one FFmpeg pass into a temp file; returns its path. */
async function renderPiece(
  deps: RenderDeps,
  { loaded, range, kind, dir, signal, onProgress }: { loaded: Loaded; range: FrameRange; kind: OutputKind; dir: string; signal: AbortSignal; onProgress: (f: number) => void },
): Promise<{ path: string; extension: string }> {
  const media = await openAssets(deps, loaded, range, kind);
  try {
    const compiled = compile({
      snapshot: loaded.snapshot,
      assets: media.assets,
      preset: loaded.preset,
      range,
      fonts,
      workDir: dir,
      output: kind,
      threads: deps.farm.options.threads,
    });
    const graphPath = await writeCompiledFiles(compiled, dir);
    const path = join(dir, `out.${compiled.extension}`);
    await runCompiled({ binaries: deps.binaries, compiled, graphPath, output: path, onProgress, signal });
    return { path, extension: compiled.extension };
  } finally {
    await media.release();
  }
}

async function store(deps: RenderDeps, key: string, path: string, contentType: string): Promise<number> {
  const { size } = await deps.storage.put(key, { path }, { contentType });
  return size;
}

/** Task `render`. */
export async function runRender(deps: RenderDeps, { renderId }: { renderId: string }, job: JobInfo): Promise<void> {
  const row = await markRunning(deps.sql, renderId);
  if (!row) {
    deps.log.info({ renderId }, 'render: nothing to do, the render is not queued or running');
    return;
  }
  const watch = deps.farm.watch(renderId, job.shutdown);
  try {
    const loaded = load(row);
    const { preset, snapshot, range } = loaded;
    if (row.mode === 'chunked') return; // a retried planner: the parts are queued already
    const plan = planChunks({
      range,
      fps: snapshot.settings.fps,
      gopFrames: gopFrames(snapshot.settings.fps),
      chunkable: preset.chunkable && preset.video !== null && preset.audio !== null,
      ...(deps.farm.options.chunkSeconds !== undefined ? { chunkSeconds: deps.farm.options.chunkSeconds } : {}),
      ...(deps.farm.options.minChunkedSeconds !== undefined ? { minChunkedSeconds: deps.farm.options.minChunkedSeconds } : {}),
    });
    if (plan.mode === 'chunked' && (await deps.farm.heartbeat.liveSlots()) >= deps.farm.options.minSlotsToChunk) {
      const parts: PartSpec[] = [
        { part: -1, kind: 'audio', frameStart: range.start, frameEnd: range.end },
        ...plan.chunks.map((c, i) => ({ part: i, kind: 'video' as const, frameStart: c.start, frameEnd: c.end })),
      ];
      await fanOut(deps.sql, {
        renderId,
        parts,
        jobFor: (p) => partJob({ renderId, part: p.part }),
      });
      deps.log.info({ renderId, chunks: plan.chunks.length }, 'render: split into parts');
      return;
    }
    await setMode(deps.sql, renderId, 'single');
    await withWorkDir(deps, async (dir) => {
      const onProgress = progressReporter(deps, (f) => setRenderProgress(deps.sql, renderId, f));
      const piece = await renderPiece(deps, { loaded, range, kind: 'final', dir, signal: watch.signal, onProgress });
      await finish(deps, loaded, piece.path, piece.extension);
    });
  } catch (error) {
    await settle(deps, renderId, job, watch, error);
  } finally {
    watch.release();
  }
}

async function finish(deps: RenderDeps, loaded: Loaded, path: string, extension: string): Promise<void> {
  const renderId = loaded.row.id;
  const key = outputKey(renderId, extension);
  const size = await store(deps, key, path, loaded.preset.contentType);
  if (!(await markSucceeded(deps.sql, renderId, key, size))) {
    // Cancelled while the file was being stored: a cancelled render has no output.
    await deps.storage.delete(key).catch(() => {});
    return;
  }
  deps.log.info({ renderId, key, bytes: size }, 'render: succeeded');
}

/** Task `render-part`. */
export async function runPart(deps: RenderDeps, { renderId, part }: { renderId: string; part: number }, job: JobInfo): Promise<void> {
  const row = await getRenderForJob(deps.sql, renderId);
  const spec = row && row.state === 'running' ? await getPart(deps.sql, renderId, part) : null;
  if (!row || !spec) return;
  if (spec.state === 'done' && spec.outputKey && (await deps.storage.exists(spec.outputKey))) return;
  const watch = deps.farm.watch(renderId, job.shutdown);
  try {
    const loaded = load(row);
    await withWorkDir(deps, async (dir) => {
      const onProgress = progressReporter(deps, (f) => setPartProgress(deps.sql, renderId, part, f));
      const kind: OutputKind = spec.kind === 'audio' ? 'audio-part' : 'video-chunk';
      const piece = await renderPiece(deps, { loaded, range: { start: spec.frameStart, end: spec.frameEnd }, kind, dir, signal: watch.signal, onProgress });
      const key = partKey(renderId, part, piece.extension);
      await store(deps, key, piece.path, 'application/octet-stream');
      const { finalizeQueued } = await completePart(deps.sql, {
        renderId,
        part,
        outputKey: key,
        finalizeJob: finalizeJob({ renderId }),
      });
      deps.log.info({ renderId, part, finalizeQueued }, 'render: part done');
    });
  } catch (error) {
    await settle(deps, renderId, job, watch, error);
  } finally {
    watch.release();
  }
}

/** Task `render-finalize`. */
export async function runFinalize(deps: RenderDeps, { renderId }: { renderId: string }, job: JobInfo): Promise<void> {
  const row = await getRenderForJob(deps.sql, renderId);
  if (!row || row.state !== 'running') return;
  const watch = deps.farm.watch(renderId, job.shutdown);
  const opened: LocalFile[] = [];
  try {
    const loaded = load(row);
    const parts = await getParts(deps.sql, renderId);
    const video = parts.filter((p) => p.kind === 'video');
    const audio = parts.find((p) => p.kind === 'audio');
    if (video.length === 0 || parts.some((p) => p.state !== 'done' || !p.outputKey)) throw new Error('finalize: not every part is done');
    const open = async (key: string) => {
      const file = await deps.storage.localFile(key);
      opened.push(file);
      return file.path;
    };
    await withWorkDir(deps, async (dir) => {
      const chunks: { path: string; frames: number }[] = [];
      for (const part of video) chunks.push({ path: await open(part.outputKey as string), frames: part.frameEnd - part.frameStart });
      const plan = planJoin({
        chunks,
        audio: audio?.outputKey ? await open(audio.outputKey) : null,
        fps: loaded.snapshot.settings.fps,
        preset: loaded.preset,
        listPath: join(dir, 'chunks.txt'),
      });
      await writeFile(plan.list.path, plan.list.contents);
      const output = join(dir, `out.${plan.extension}`);
      await runFfmpeg({ binaries: deps.binaries, inputs: plan.inputs, outputOptions: plan.outputOptions, output, signal: watch.signal });
      await stat(output);
      await finish(deps, loaded, output, plan.extension);
    });
    await Promise.all(parts.map((p) => (p.outputKey ? deps.storage.delete(p.outputKey).catch(() => {}) : undefined)));
  } catch (error) {
    await settle(deps, renderId, job, watch, error);
  } finally {
    await Promise.all(opened.map((f) => f.release().catch(() => {})));
    watch.release();
  }
}
