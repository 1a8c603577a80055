import type { TestProject } from 'vitest/node';
import { createSql, pingDatabase } from '../src/db/client.ts';
import { startTestPostgres } from '../src/testing.ts';

const MACHINE_PG15 = 'postgres://postgres@127.0.0.1:5432/test';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pg = await startTestPostgres();
  project.provide('pgUrl', pg.url);
  project.provide('pg15Url', await findPg15());
  return () => pg.stop();
}

/** CI machines run PostgreSQL 15 on 5432; there it must answer. Elsewhere it is optional. */
async function findPg15(): Promise<string> {
  const url = process.env.PG15_URL ?? MACHINE_PG15;
  const sql = createSql({ url, max: 1 });
  try {
    const ok = await pingDatabase(sql, 3000);
    if (!ok && process.env.CI) throw new Error(`CI needs PostgreSQL 15 at ${url} for the schema tests`);
    return ok ? url : '';
  } finally {
    await sql.end({ timeout: 1 });
  }
}
