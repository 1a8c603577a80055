/**
 * A render worker as its own process, for tests that kill one (`kill -9`). Reads
 * DATABASE_URL, STORAGE_DIR, RENDER_CONCURRENCY and RENDER_TEST_OPTIONS (JSON farm
 * options), writes "ready" on stdout once it takes jobs.
 */
import { tmpdir } from 'node:os';
import { loadConfig, requireDatabaseUrl } from '@cutline/shared/config';
import { createSql } from '@cutline/shared/db';
import { createLogger } from '@cutline/shared/log';
import type { RenderFarmOptions } from '../../src/render/farm.ts';
import { startRenderWorker } from '../../src/worker.ts';

const config = loadConfig();
const databaseUrl = requireDatabaseUrl(config);
const sql = createSql({ url: databaseUrl, max: 4, app: 'cutline-render-test-worker' });
const options = JSON.parse(process.env.RENDER_TEST_OPTIONS ?? '{}') as RenderFarmOptions;
const worker = await startRenderWorker({
  config,
  log: createLogger({ app: 'render-test-worker', level: process.env.TEST_LOG_LEVEL ?? 'warn' }),
  sql,
  databaseUrl,
  port: 0,
  workDir: process.env.RENDER_TEST_WORKDIR ?? tmpdir(),
  render: options,
});
process.stdout.write('ready\n');
const stop = async () => {
  await worker.stop();
  await sql.end({ timeout: 5 });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
