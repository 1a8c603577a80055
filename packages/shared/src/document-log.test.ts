import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSql } from './db/client.ts';
import * as Y from 'yjs';
import { applyStoredDocument, deleteProjectDocuments, documentVersion, readDocument, storedVersion, subscribeDocumentChanges } from './document-log.ts';
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

  it('reads back what was appended, skipping (and reporting) a row that cannot be applied', async () => {
    const name = 'project/logread/timeline';
    const source = new Y.Doc();
    source.getMap('m').set('a', 1);
    const first = Y.encodeStateAsUpdate(source);
    source.getMap('m').set('b', 2);
    const second = Y.encodeStateAsUpdate(source, Y.encodeStateVectorFromUpdate(first));
    await db.sql`insert into doc_updates (doc_name, update) values (${name}, ${first}), (${name}, ${new Uint8Array([1, 2, 3])}), (${name}, ${second})`;
    const doc = new Y.Doc();
    const skippedIds: number[] = [];
    let transactions = 0;
    doc.on('afterTransaction', () => (transactions += 1));
    const { skipped } = applyStoredDocument(doc, await readDocument(db.sql, name), { onSkipped: (row) => skippedIds.push(row.id) });
    expect(doc.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
    expect({ skipped, reported: skippedIds.length, transactions }).toEqual({ skipped: 1, reported: 1, transactions: 1 });
  });

  it("deleting a project's documents leaves every other document alone", async () => {
    for (const name of ['project/gone/timeline', 'project/gone/comments', 'project/kept/timeline']) {
      await db.sql`insert into doc_updates (doc_name, update) values (${name}, ${new Uint8Array([0, 0])})`;
    }
    await deleteProjectDocuments(db.sql, 'gone');
    const rows = await db.sql<{ doc_name: string }[]>`select distinct doc_name from doc_updates where doc_name like 'project/%' order by doc_name`;
    expect(rows.map((r) => r.doc_name)).toEqual(['project/kept/timeline', 'project/logread/timeline']);
  });
});
