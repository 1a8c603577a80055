import { runMigrations } from 'graphile-worker';

/**
 * Creates or upgrades the graphile_worker schema (idempotent; Graphile locks it itself).
 * It belongs with the other migrations: the web app queues jobs into it (jobs.ts) before
 * any render worker has started.
 */
export async function migrateWorkerSchema({ databaseUrl }: { databaseUrl: string }): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, logger: undefined });
}
