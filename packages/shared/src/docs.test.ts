import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSql } from './db/client.ts';
import { documentVersion, readDocument, storedVersion, subscribeDocumentChanges } from './docs.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

describe('stored documents', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ serverUrl: inject('pgUrl') });
  });
  afterAll(async () => {
    await db.drop();
  });

  /** Resolves with the names heard once `marker` arrives (notices come in commit order). */
  async function noticesUntil(marker: string, write: () => Promise<void>): Promise<string[]> {
    const heard: string[] = [];
    let done: () => void = () => {};
    const markerHeard = new Promise<void>((resolve) => (done = resolve));
    const unsubscribe = await subscribeDocumentChanges({
      sql: db.sql,
      onChange: (name) => {
        if (name === marker) done();
        else heard.push(name);
      },
    });
    const writer = createSql({ url: db.url, max: 1 });
    try {
      await write();
      await writer`insert into doc_updates (doc_name, update) values (${marker}, ${new Uint8Array([0, 0])})`;
      await markerHeard;
      return heard;
    } finally {
      await unsubscribe();
      await writer.end();
    }
  }

  it('a commit that adds rows announces each document it touched once; a rolled-back one announces nothing', async () => {
    const heard = await noticesUntil('marker/1', async () => {
      // A group commit like sync's appender: several rows, two documents, one statement.
      const rows = ['a/timeline', 'a/timeline', 'b/comments'].map((doc_name) => ({ doc_name, update: new Uint8Array([0, 0]) }));
      await db.sql`insert into doc_updates ${db.sql(rows, 'doc_name', 'update')}`;
      await db.sql`insert into doc_snapshots (doc_name, state, last_update_id) values ('c/timeline', ${new Uint8Array([0, 0])}, 0)`;
      await db.sql
        .begin(async (tx) => {
          await tx`insert into doc_updates (doc_name, update) values ('rolled/back', ${new Uint8Array([0, 0])})`;
          throw new Error('rollback');
        })
        .catch(() => {});
    });
    expect(heard.toSorted()).toEqual(['a/timeline', 'b/comments', 'c/timeline']);
  });

  it('storedVersion of a read equals documentVersion, and both change with every new row', async () => {
    const name = 'v/timeline';
    const before = await documentVersion(db.sql, name);
    expect(storedVersion(await readDocument(db.sql, name))).toBe(before);
    await db.sql`insert into doc_updates (doc_name, update) values (${name}, ${new Uint8Array([0, 0])})`;
    const after = await documentVersion(db.sql, name);
    expect(after).not.toBe(before);
    expect(storedVersion(await readDocument(db.sql, name))).toBe(after);
  });
});
