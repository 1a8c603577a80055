import { join } from 'node:path';
import type { Config } from '@cutline/shared/config';
import { checkDatabase, createSql, migrate } from '@cutline/shared/db';
import { startEmbeddedPostgres } from '@cutline/shared/embedded';
import { migrateWorkerSchema } from '@cutline/shared/worker-schema';

export type Database = { url: string; embedded: boolean; stop(): Promise<void> };

/**
 * The database for one machine: DATABASE_URL when given, else the embedded PostgreSQL in
 * `<CUTLINE_HOME>/pg` (kept across restarts). Either way it is migrated before use:
 * our numbered migrations, then Graphile Worker's own schema.
 */
export async function prepareDatabase({ config, log }: { config: Config; log: (line: string) => void }): Promise<Database> {
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: join(config.CUTLINE_HOME, 'pg'), port: config.PGPORT, log });
  const url = config.DATABASE_URL ?? embedded?.url ?? '';
  const stop = async () => {
    await embedded?.stop();
  };
  const sql = createSql({ url, max: 2, app: 'cutline-migrate' });
  try {
    await checkDatabase(sql, url);
    const applied = await migrate({ sql });
    if (applied.length > 0) log(`applied migrations ${applied.join(', ')}`);
    await migrateWorkerSchema({ databaseUrl: url });
  } catch (error) {
    await sql.end({ timeout: 1 });
    await stop();
    throw error;
  }
  await sql.end({ timeout: 5 });
  return { url, embedded: embedded !== null, stop };
}
