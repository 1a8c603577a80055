// One render worker process for the bench (like `npm start`'s, with farm options from
// BENCH_RENDER_OPTIONS). Writes "ready" on stdout once it takes jobs.
import { tmpdir } from 'node:os';
import { loadConfig, requireDatabaseUrl } from '@cutline/shared/config';
import { createSql } from '@cutline/shared/db';
import { createLogger } from '@cutline/shared/log';
import type { RenderFarmOptions } from '../src/render/farm.ts';
import { startRenderWorker } from '../src/worker.ts';

const config = loadConfig();
const databaseUrl = requireDatabaseUrl(config);
const sql = createSql({ url: databaseUrl, max: 4, app: 'cutline-render-bench' });
const worker = await startRenderWorker({
  config,
  log: createLogger({ app: 'render-bench', level: process.env.BENCH_LOG_LEVEL ?? 'warn' }),
  sql,
  databaseUrl,
  port: 0,
  workDir: process.env.BENCH_WORKDIR ?? tmpdir(),
  render: JSON.parse(process.env.BENCH_RENDER_OPTIONS ?? '{}') as RenderFarmOptions,
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker
    .stop()
    .then(() => sql.end({ timeout: 5 }))
    .then(() => process.exit(0));
});
