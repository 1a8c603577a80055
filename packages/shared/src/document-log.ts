import * as Y from 'yjs';
import { documentKinds, documentName } from './auth/policy.ts';
import type { Queryable, Sql } from './db/client.ts';

/**
 * The document log as every app reads it (apps/sync/SPEC.md, "Durability"; sync alone
 * appends and compacts): the latest compacted snapshot plus every update row still in the
 * log. Sync loads documents this way; the web app reads the
 * acknowledged state the same way (every acknowledged update is in the log before the
 * client hears it is synced), and a render pins it.
 */
export type StoredUpdate = { id: number; update: Uint8Array };
export type StoredSnapshot = { id: number; state: Uint8Array; lastUpdateId: number };
export type StoredDocument = { snapshot: StoredSnapshot | null; updates: StoredUpdate[]; bytes: number };

/** Snapshot and rows read in one repeatable-read transaction, so a concurrent compaction is seen whole or not at all. */
export async function readDocument(sql: Sql, documentName: string): Promise<StoredDocument> {
  return sql.begin('isolation level repeatable read read only', async (tx) => {
    const [snap] = await tx<{ id: number; state: Uint8Array; last_update_id: number }[]>`
      select id, state, last_update_id from doc_snapshots
      where doc_name = ${documentName}
      order by id desc limit 1`;
    const rows = await tx<{ id: number; update: Uint8Array }[]>`
      select id, update from doc_updates where doc_name = ${documentName} order by id`;
    let bytes = snap?.state.length ?? 0;
    for (const row of rows) bytes += row.update.length;
    return {
      snapshot: snap ? { id: snap.id, state: snap.state, lastUpdateId: snap.last_update_id } : null,
      updates: rows.map((r) => ({ id: r.id, update: r.update })),
      bytes,
    };
  });
}

/**
 * Applies a stored document to `doc`, in one transaction (so `update` fires once) with
 * `origin`. A row that fails to apply is skipped and reported: every stored row passed
 * sync's checks before it was written, so it is an update Yjs accepted in shape but could
 * not integrate; it failed the same way when it arrived live, leaving the same partial
 * state, so a load reproduces that state instead of refusing the document forever
 * (apps/sync/SPEC.md SY13).
 */
export function applyStoredDocument(
  doc: Y.Doc,
  stored: StoredDocument,
  { origin = null, onSkipped }: { origin?: unknown; onSkipped?: (row: StoredUpdate, error: unknown) => void } = {},
): { skipped: number } {
  let skipped = 0;
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
    for (const row of stored.updates) {
      try {
        Y.applyUpdate(doc, row.update);
      } catch (error) {
        skipped += 1;
        onSkipped?.(row, error);
      }
    }
  }, origin);
  return { skipped };
}

/**
 * Deletes both documents of a project (their rows have no foreign key: the name is the
 * link), inside the caller's transaction that deletes the project.
 */
export async function deleteProjectDocuments(sql: Queryable, projectId: string): Promise<void> {
  const names = documentKinds.map((kind) => documentName(projectId, kind));
  await sql`delete from doc_updates where doc_name = any(${names}::text[])`;
  await sql`delete from doc_snapshots where doc_name = any(${names}::text[])`;
}

/**
 * Changes whenever the stored document changes (a new row, or a compaction): a cache key.
 * The row count is part of it because a row can commit after one with a higher id (ids are
 * taken before commit), which leaves `max(id)` unchanged.
 */
export async function documentVersion(sql: Sql, documentName: string): Promise<string> {
  const [row] = await sql<{ snap: number | null; last: number | null; n: number }[]>`
    select
      (select max(id) from doc_snapshots where doc_name = ${documentName}) as snap,
      (select max(id) from doc_updates where doc_name = ${documentName}) as last,
      (select count(*)::int from doc_updates where doc_name = ${documentName}) as n`;
  return `${row?.snap ?? 0}:${row?.last ?? 0}:${row?.n ?? 0}`;
}

/** The `documentVersion` of what `readDocument` returned, without asking again. */
export function storedVersion(stored: StoredDocument): string {
  return `${stored.snapshot?.id ?? 0}:${stored.updates.at(-1)?.id ?? 0}:${stored.updates.length}`;
}

/** Migration 006 notifies this channel, payload the document name, when rows are added to a document. */
export const DOC_CHANGES_CHANNEL = 'cutline_doc_changes';

/**
 * Calls `onChange(documentName)` after every commit that added rows to a stored document.
 * `onListen` runs each time the listening connection is (re)established: notices sent while
 * it was down are lost, so a cache must drop everything then. Returns an unsubscribe function.
 */
export async function subscribeDocumentChanges({
  sql,
  onChange,
  onListen,
}: {
  sql: Sql;
  onChange: (documentName: string) => void;
  onListen?: () => void;
}): Promise<() => Promise<void>> {
  const { unlisten } = await sql.listen(DOC_CHANGES_CHANNEL, onChange, onListen);
  return unlisten;
}
