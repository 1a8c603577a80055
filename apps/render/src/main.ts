import { loadConfig, requireDatabaseUrl } from '@cutline/shared/config';
import { checkDatabase, createSql } from '@cutline/shared/db';
import { describeError } from '@cutline/shared/errors';
import { createLogger } from '@cutline/shared/log';
import { createSyncEditClient } from '@cutline/shared/sync-client';
import { unavailableTimelineEditor } from './ingest/timeline-editor.ts';
import { startRenderWorker } from './worker.ts';

const log = createLogger({ app: 'render' });

try {
  const config = loadConfig();
  const databaseUrl = requireDatabaseUrl(config);
  const sql = createSql({ url: databaseUrl, max: 4, app: 'cutline-render' });
  await checkDatabase(sql, databaseUrl);
  // Ingest registers finished assets in project timelines through the sync server's edit
  // endpoint. Without SYNC_SECRET (npm start always sets it) ingest jobs wait and retry.
  if (!config.SYNC_SECRET) log.warn('SYNC_SECRET is not set: ingested assets cannot be added to timelines');
  const timeline = config.SYNC_SECRET
    ? createSyncEditClient({ baseUrl: config.SYNC_INTERNAL_URL, secret: config.SYNC_SECRET })
    : unavailableTimelineEditor;
  const worker = await startRenderWorker({ config, log, sql, databaseUrl, timeline });
  log.info({ port: worker.port, concurrency: config.RENDER_CONCURRENCY }, `render worker up, health on :${worker.port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'render stopping');
    await worker.stop();
    await sql.end({ timeout: 5 });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  console.error(`cutline render: ${describeError(error)}`);
  process.exit(1);
}
