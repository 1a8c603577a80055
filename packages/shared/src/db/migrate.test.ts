import { afterAll, describe, expect, inject, it } from 'vitest';
import { createSql } from './client.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';

// Every migration must work on the machine's PostgreSQL 15 and the embedded 18. PG15_URL
// (default: the machine's server) points at 15; outside CI a missing server skips it.
const servers: { name: string; url: string | undefined }[] = [
  { name: 'embedded PostgreSQL 18', url: inject('pgUrl') },
  { name: 'PostgreSQL 15', url: inject('pg15Url') },
];

const expectedTables = [
  'users',
  'sessions',
  'api_tokens',
  'projects',
  'project_members',
  'share_links',
  'assets',
  'renders',
  'doc_updates',
  'doc_snapshots',
];

for (const server of servers) {
  describe.skipIf(!server.url)(`migrations on ${server.name}`, () => {
    const created: TestDatabase[] = [];
    const fresh = async () => {
      const db = await createTestDatabase({ serverUrl: server.url ?? '', migrated: false });
      created.push(db);
      return db;
    };
    afterAll(async () => {
      await Promise.all(created.map((db) => db.drop()));
    });

    it('reports the server version it runs on', async () => {
      const db = await fresh();
      const [row] = await db.sql<{ server_version_num: string }[]>`show server_version_num`;
      const major = Math.floor(Number(row?.server_version_num) / 10000);
      expect(major).toBe(server.name.includes('15') ? 15 : 18);
    });

    it('creates every table with a primary key and created_at', async () => {
      const db = await fresh();
      const applied = await migrate({ sql: db.sql });
      expect(applied).toEqual((await loadMigrations()).map((m) => m.version));
      for (const table of expectedTables) {
        const columns = await db.sql<{ column_name: string }[]>`
          select column_name from information_schema.columns where table_name = ${table}`;
        expect(columns.map((c) => c.column_name), table).toContain('created_at');
        const [pk] = await db.sql`
          select 1 from information_schema.table_constraints
          where table_name = ${table} and constraint_type = 'PRIMARY KEY'`;
        expect(pk, `${table} has a primary key`).toBeDefined();
      }
    });

    it('applied twice is a no-op', async () => {
      const db = await fresh();
      await migrate({ sql: db.sql });
      const [before] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
      expect(await migrate({ sql: db.sql })).toEqual([]);
      const [after] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
      expect(after?.n).toBe(before?.n);
    });

    it('two processes migrating at once: one applies, the other waits and applies nothing', async () => {
      const db = await fresh();
      const a = createSql({ url: db.url, max: 1 });
      const b = createSql({ url: db.url, max: 1 });
      try {
        const results = await Promise.all([migrate({ sql: a }), migrate({ sql: b })]);
        const total = (await loadMigrations()).length;
        expect(results.map((r) => r.length).sort()).toEqual([0, total]);
      } finally {
        await Promise.all([a.end(), b.end()]);
      }
    });

    it('enforces foreign keys: a member of a missing project is refused', async () => {
      const db = await fresh();
      await migrate({ sql: db.sql });
      await db.sql`insert into users (id, email, name) values ('u1', 'a@example.com', 'A')`;
      await expect(
        db.sql`insert into project_members (project_id, user_id, role) values ('nope', 'u1', 'editor')`,
      ).rejects.toThrow(/foreign key/);
    });

    it('a failing migration rolls back whole and names itself', async () => {
      const db = await fresh();
      const migrations = [
        { version: 1, name: 'ok', sql: 'create table t_ok (id int primary key, created_at timestamptz)' },
        { version: 2, name: 'broken', sql: 'create tabel nope' },
      ];
      await expect(migrate({ sql: db.sql, migrations })).rejects.toThrow(/Migration 2 \(broken\) failed/);
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from information_schema.tables where table_name = 't_ok'`;
      expect(row?.n).toBe(0);
    });
  });
}

describe('migration files', () => {
  it('refuses two files with the same number', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'cutline-migrations-'));
    await writeFile(join(dir, '001_a.sql'), 'select 1');
    await writeFile(join(dir, '001_b.sql'), 'select 1');
    await expect(loadMigrations(dir)).rejects.toThrow(/Two migrations are numbered 1/);
  });
});
