import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSql } from './db/client.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { freePort } from './testing.ts';
import { waitForProcessExit } from './process.ts';

describe('embedded PostgreSQL', () => {
  const dirs: string[] = [];
  const newDataDir = async () => {
    const root = await mkdtemp(join(tmpdir(), 'cutline-embedded-'));
    await chmod(root, 0o755);
    dirs.push(root);
    return join(root, 'pg');
  };
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  const insertAndCount = async (url: string, value?: string) => {
    const sql = createSql({ url, max: 1 });
    try {
      await sql`create table if not exists kept (v text)`;
      if (value) await sql`insert into kept values (${value})`;
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from kept`;
      return row?.n;
    } finally {
      await sql.end();
    }
  };

  it('keeps data across a stop and a start, behind a password', async () => {
    const dataDir = await newDataDir();
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/cutline$/);
    expect(await insertAndCount(first.url, 'a')).toBe(1);
    await first.stop();
    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(second.url).toBe(first.url);
      expect(await insertAndCount(second.url)).toBe(1);
      const wrong = second.url.replace(/:[^:@/]+@/, ':wrong@');
      await expect(insertAndCount(wrong)).rejects.toThrow(/password/);
    } finally {
      await second.stop();
    }
  });

  it('recovers after the server was killed with -9 and left its pid file behind', async () => {
    const dataDir = await newDataDir();
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    expect(await insertAndCount(first.url, 'committed')).toBe(1);
    const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    expect(await waitForProcessExit(pid)).toBe(true);
    // The pid file now names a dead process; a new start must not be fooled by it.
    const again = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(await insertAndCount(again.url)).toBe(1);
    } finally {
      await again.stop();
    }
  });

  it('moves a half-initialised data dir aside instead of failing or deleting it', async () => {
    const dataDir = await newDataDir();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'half-written'), 'x');
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true });
    try {
      expect(await insertAndCount(pg.url, 'x')).toBe(1);
    } finally {
      await pg.stop();
    }
  });
});

