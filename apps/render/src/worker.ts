import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Logger as GraphileLogger, run, type Runner, type WorkerEvents } from 'graphile-worker';
import type { Config } from '@cutline/shared/config';
import { pingDatabase, type Sql } from '@cutline/shared/db';
import type { Logger } from '@cutline/shared/log';
import { createStorage, type Storage } from '@cutline/shared/storage';
import { checkFfmpegWatchdog, resolveFfmpegBinaries, type FfmpegBinaries } from './ffmpeg/index.ts';
import { unavailableTimelineEditor, type TimelineEditor } from './ingest/timeline-editor.ts';
import { startRenderFarm, type RenderFarmOptions } from './render/farm.ts';
import { createTaskList } from './tasks/index.ts';
import { removeStaleWorkDirs } from './work-dirs.ts';

export type RenderWorker = { port: number; runner: Runner; stop(): Promise<void> };

/** Graphile's log calls go to our pino logger, with its scope (job id, task) as fields. */
function graphileLogger(log: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta };
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else if (level === 'info') log.info(fields, message);
    else log.debug(fields, message);
  });
}

export async function startRenderWorker({
  config,
  log,
  sql,
  databaseUrl,
  port = config.RENDER_PORT,
  storage = createStorage(config),
  timeline = unavailableTimelineEditor,
  binaries = resolveFfmpegBinaries({ ffmpegPath: config.FFMPEG_PATH, ffprobePath: config.FFPROBE_PATH }),
  workDir = tmpdir(),
  render = {},
}: {
  config: Config;
  log: Logger;
  sql: Sql;
  databaseUrl: string;
  port?: number;
  /** Media storage; default from config (STORAGE_DIR or S3_*). */
  storage?: Storage;
  /** Applies ingest's registerAsset to project timelines (the sync edit endpoint). */
  timeline?: TimelineEditor;
  binaries?: FfmpegBinaries;
  /** Where jobs make their temp directories. */
  workDir?: string;
  /** Render farm tuning: FFmpeg threads, chunking, heartbeat timings (render/farm.ts). */
  render?: RenderFarmOptions;
}): Promise<RenderWorker> {
  log.info({ ffmpeg: binaries.ffmpeg, ffprobe: binaries.ffprobe, source: binaries.source, storage: storage.driver }, 'render media setup');
  // What a killed worker on this machine left (its FFmpeg died with it: ffmpeg/watchdog.ts).
  const stale = await removeStaleWorkDirs({ parent: workDir });
  if (stale.length > 0) log.info({ workDir, removed: stale }, `removed ${stale.length} temp dir(s) of workers that are gone`);
  // Every FFmpeg run goes through the watchdog wrapper (in the OS temp dir, not among the
  // jobs' dirs): written here, once, and tried.
  await checkFfmpegWatchdog({ ffmpeg: binaries.ffmpeg });
  const farm = await startRenderFarm({ sql, log, options: render });
  // Our own emitter, so we hear `pool:create` (fired inside run()) and heartbeat the pool.
  const events: WorkerEvents = new EventEmitter();
  events.on('pool:create', ({ workerPool }) => void farm.heartbeat.register(workerPool.id, config.RENDER_CONCURRENCY).catch((err: unknown) => log.warn({ err }, 'render heartbeat: register failed')));
  events.on('pool:release', ({ workerPool }) => void farm.heartbeat.unregister(workerPool.id).catch(() => {}));
  const runner = await run({
    connectionString: databaseUrl,
    concurrency: config.RENDER_CONCURRENCY,
    events,
    taskList: createTaskList({ sql, storage, timeline, binaries, log, workDir, farm }),
    logger: graphileLogger(log),
    // We handle signals ourselves so the health server and pool close in order.
    noHandleSignals: true,
    pollInterval: 2000,
  });
  let running = true;
  void runner.promise.catch((error: unknown) => {
    running = false;
    log.error({ err: error }, 'worker stopped with an error');
  });

  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      void pingDatabase(sql).then((db) => {
        const ok = db && running;
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok, service: 'render', db, worker: running ? 'running' : 'stopped' }));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'Not found' } }));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, config.HOST, () => resolve());
  });

  return {
    port: (http.address() as AddressInfo).port,
    runner,
    stop: async () => {
      running = false;
      await new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      });
      await runner.stop();
      await farm.stop();
    },
  };
}
