/**
 * Test support: a throwaway PostgreSQL per test run and a fresh database per test file.
 * Tests use real Postgres (embedded 18 by default, the machine's 15 through PG15_URL).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.ts';
import { createSql, type Sql } from './db/client.ts';
import { migrate } from './db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server URL of this run's embedded PostgreSQL 18 (see tests/global-setup.ts). */
    pgUrl: string;
    /** A PostgreSQL 15 server (the machine's), or '' when none answers outside CI. */
    pg15Url: string;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a fresh embedded PostgreSQL in a temp dir; `stop` also deletes the dir. */
export async function startTestPostgres(): Promise<EmbeddedPostgres> {
  const root = await mkdtemp(join(tmpdir(), 'cutline-test-pg-'));
  // As root the server runs as `postgres`, which must be able to enter the temp dir.
  await chmod(root, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: join(root, 'data'), port: await freePort(), ephemeral: true });
  return {
    ...pg,
    stop: async () => {
      await pg.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export type TestDatabase = { url: string; sql: Sql; drop(): Promise<void> };

/** Creates a new, empty database on the server of `serverUrl`, migrated unless told not to. */
export async function createTestDatabase({
  serverUrl,
  migrated = true,
}: {
  serverUrl: string;
  migrated?: boolean;
}): Promise<TestDatabase> {
  const name = `cutline_t_${randomBytes(6).toString('hex')}`;
  const admin = createSql({ url: serverUrl, max: 1, app: 'cutline-test' });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const sql = createSql({ url, max: 5, app: 'cutline-test' });
  if (migrated) await migrate({ sql });
  return {
    url,
    sql,
    drop: async () => {
      await sql.end();
      const cleanup = createSql({ url: serverUrl, max: 1, app: 'cutline-test' });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
