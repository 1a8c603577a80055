import { loadConfig, requireDatabaseUrl } from '@cutline/shared/config';
import { checkDatabase, createSql } from '@cutline/shared/db';
import { describeError } from '@cutline/shared/errors';
import { createLogger } from '@cutline/shared/log';
import { startRenderWorker } from './worker.ts';

const log = createLogger({ app: 'render' });

try {
  const config = loadConfig();
  const databaseUrl = requireDatabaseUrl(config);
  const sql = createSql({ url: databaseUrl, max: 4, app: 'cutline-render' });
  await checkDatabase(sql, databaseUrl);
  const worker = await startRenderWorker({ config, log, sql, databaseUrl });
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
