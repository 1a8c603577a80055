import { runMigrations } from 'graphile-worker';

/** Creates or upgrades the graphile_worker schema (idempotent; Graphile locks it itself). */
export async function migrateWorkerSchema({ databaseUrl }: { databaseUrl: string }): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, logger: undefined });
}
