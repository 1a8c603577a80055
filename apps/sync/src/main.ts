import { loadConfig, requireDatabaseUrl } from '@cutline/shared/config';
import { checkDatabase, createSql } from '@cutline/shared/db';
import { describeError } from '@cutline/shared/errors';
import { createLogger } from '@cutline/shared/log';
import { installProcessGuards } from './process-guards.ts';
import { startSyncServer, type SyncServer } from './server.ts';

const log = createLogger({ app: 'sync' });
let server: SyncServer | undefined;
installProcessGuards({ log, onRejection: () => server?.metrics.unhandledRejections.inc() });

try {
  const config = loadConfig();
  const url = requireDatabaseUrl(config);
  const sql = createSql({ url, max: 10, app: 'cutline-sync' });
  await checkDatabase(sql, url);
  server = await startSyncServer({ config, log, sql });
  const running = server;
  log.info({ port: running.port, transport: running.transport, redis: Boolean(config.REDIS_URL) }, `sync listening on :${running.port} (${running.transport})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'sync stopping: no new connections, storing what arrived, closing');
    try {
      await running.stop();
      await sql.end({ timeout: 5 });
      log.info('sync stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'sync did not stop cleanly');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  console.error(`cutline sync: ${describeError(error)}`);
  process.exit(1);
}
