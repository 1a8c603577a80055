import { loadConfig, requireDatabaseUrl } from '@cutline/shared/config';
import { checkDatabase, createSql } from '@cutline/shared/db';
import { describeError } from '@cutline/shared/errors';
import { createLogger } from '@cutline/shared/log';
import { startSyncServer } from './server.ts';

const log = createLogger({ app: 'sync' });

try {
  const config = loadConfig();
  const url = requireDatabaseUrl(config);
  const sql = createSql({ url, max: 10, app: 'cutline-sync' });
  await checkDatabase(sql, url);
  const server = await startSyncServer({ config, log, sql });
  log.info({ port: server.port, transport: server.transport }, `sync listening on :${server.port} (${server.transport})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'sync stopping');
    await server.stop();
    await sql.end({ timeout: 5 });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  console.error(`cutline sync: ${describeError(error)}`);
  process.exit(1);
}
