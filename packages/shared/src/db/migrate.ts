import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CutlineError } from '../errors.ts';
import type { Sql } from './client.ts';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** A key of our own for pg_advisory_xact_lock; any constant distinct from Graphile's. */
const MIGRATION_LOCK_KEY = 7_243_111_902;

export type Migration = { version: number; name: string; sql: string };

export class MigrationError extends CutlineError {
  constructor(message: string, options?: ErrorOptions) {
    super('migration_failed', message, 500, options);
  }
}

/**
 * Numbered files (`<number>_<name>.sql`), in order. A duplicate number is a bug; a gap is allowed
 * (branches reserve numbers), and a migration numbered below one already applied still
 * runs, because each version is recorded on its own.
 */
export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new MigrationError(`Migration file name ${file} is not NNN_name.sql`);
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new MigrationError(`Two migrations are numbered ${version}: rename ${file}`);
    }
    migrations.push({ version, name: match[2] ?? file, sql: await readFile(join(dir, file), 'utf8') });
  }
  return migrations;
}

/**
 * Applies the pending migrations in one transaction under an advisory lock: a second
 * process migrating at the same moment waits for the lock, then finds nothing to do.
 * Returns the versions this call applied.
 */
export async function migrate({ sql, migrations }: { sql: Sql; migrations?: Migration[] }): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`;
    const rows = await tx<{ version: number }[]>`select version from schema_migrations`;
    const applied = new Set(rows.map((r) => r.version));
    const done: number[] = [];
    for (const migration of all) {
      if (applied.has(migration.version)) continue;
      try {
        await tx.unsafe(migration.sql);
      } catch (error) {
        throw new MigrationError(
          `Migration ${migration.version} (${migration.name}) failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      await tx`insert into schema_migrations (version, name) values (${migration.version}, ${migration.name})`;
      done.push(migration.version);
    }
    return done;
  });
}
