import * as Y from 'yjs';
import type { Sql } from './db/client.ts';

/**
 * Reading a stored Yjs document (apps/sync/SPEC.md, "Durability"): the latest compacted snapshot plus every
 * update row still in the log. Sync loads documents this way; the web app reads the
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
 * Applies a stored document to `doc`. A row that fails to apply is skipped and counted
 * (it was accepted live and failed there too); the rest still loads.
 */
export function applyStoredDocument(doc: Y.Doc, stored: StoredDocument): { skipped: number } {
  let skipped = 0;
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
  for (const row of stored.updates) {
    try {
      Y.applyUpdate(doc, row.update);
    } catch {
      skipped += 1;
    }
  }
  return { skipped };
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
