import type { Sql } from '@cutline/shared/db';

/**
 * SQL for the document log (SPEC.md, Durability), one function per query. `doc_updates` is
 * append-only; `doc_snapshots` holds compacted state. A document is always
 * "latest snapshot + every update row still present" — compaction deletes exactly the
 * rows it merged, in the same transaction that writes the snapshot, so a row that
 * commits late (its id lower than rows already merged) is never skipped (SY12).
 */

// The stored-document shape and its read are shared with the web app (which serves the
// saved timeline and pins renders from the same log): one definition, in @cutline/shared.
import type { StoredUpdate } from '@cutline/shared/document-log';
import type { UserSource } from '@cutline/timeline';

/**
 * Typed origin recorded with each row (packages/timeline SPEC TL6). `relay` marks the copy a node
 * stores of an update it received from another node through Redis (the node the change
 * was made on stored it with its real origin); `recovery` the whole state a node writes
 * again after an append failed (SY15).
 */
export type UpdateOrigin =
  | { source: UserSource; userId: string }
  | { source: 'migration' }
  | { source: 'relay' }
  | { source: 'recovery' };

export type AppendRow = { documentName: string; update: Uint8Array; origin: UpdateOrigin };

/**
 * Inserts rows in one statement (one commit: the group commit of appender.ts). The rows
 * travel as three arrays, so the statement's text is the same for every batch size:
 * postgres.js prepares a statement once per text and connection, and a first use costs
 * an extra round trip (Parse/Describe, then Bind/Execute) — with `VALUES (…), (…)` that
 * was every new batch size on every pooled connection, right on the path every relay
 * and acknowledgement waits for (SY10).
 */
export async function appendUpdates(sql: Sql, rows: readonly AppendRow[]): Promise<void> {
  if (rows.length === 0) return;
  const names = sql.array(rows.map((r) => r.documentName));
  const updates = sql.array(rows.map((r) => r.update));
  const origins = sql.array(rows.map((r) => JSON.stringify(r.origin)));
  await sql`insert into doc_updates (doc_name, update, origin) select * from unnest(${names}::text[], ${updates}::bytea[], ${origins}::jsonb[])`;
}

/** Two key spaces for pg advisory locks (int4, int4): this constant and hashtext(doc_name). */
const COMPACTION_LOCK_SPACE = 72_431;

export type CompactionResult = { compacted: false; reason: 'locked' | 'nothing_to_do' } | { compacted: true; merged: number; bytes: number };

/**
 * Merges the latest snapshot and the document's update rows into a new snapshot, deletes
 * the merged rows and older snapshots — all in one transaction, under a per-document
 * advisory lock so two nodes never compact the same document at once (the second skips).
 * `merge` turns (snapshot, rows) into the new state; it runs inside the transaction.
 */
export async function compactDocument({
  sql,
  documentName,
  minUpdates,
  maxUpdates,
  merge,
}: {
  sql: Sql;
  documentName: string;
  minUpdates: number;
  maxUpdates: number;
  merge: (snapshot: Uint8Array | null, updates: StoredUpdate[]) => Uint8Array | Promise<Uint8Array>;
}): Promise<CompactionResult> {
  return sql.begin(async (tx) => {
    const [lock] = await tx<{ ok: boolean }[]>`
      select pg_try_advisory_xact_lock(${COMPACTION_LOCK_SPACE}, hashtext(${documentName})) as ok`;
    if (!lock?.ok) return { compacted: false, reason: 'locked' } as const;
    const [snap] = await tx<{ id: number; state: Uint8Array; last_update_id: number }[]>`
      select id, state, last_update_id from doc_snapshots
      where doc_name = ${documentName}
      order by id desc limit 1`;
    const rows = await tx<{ id: number; update: Uint8Array }[]>`
      select id, update from doc_updates where doc_name = ${documentName}
      order by id limit ${maxUpdates}`;
    if (rows.length < minUpdates) return { compacted: false, reason: 'nothing_to_do' } as const;
    const state = await merge(snap?.state ?? null, rows.map((r) => ({ id: r.id, update: r.update })));
    const lastUpdateId = rows.reduce((max, r) => Math.max(max, r.id), snap?.last_update_id ?? 0);
    const [inserted] = await tx<{ id: number }[]>`
      insert into doc_snapshots (doc_name, state, last_update_id)
      values (${documentName}, ${state}, ${lastUpdateId})
      returning id`;
    const ids = rows.map((r) => r.id);
    await tx`delete from doc_updates where doc_name = ${documentName} and id = any(${tx.array(ids)}::bigint[])`;
    await tx`delete from doc_snapshots where doc_name = ${documentName} and id <> ${inserted?.id ?? 0}`;
    return { compacted: true, merged: rows.length, bytes: state.length } as const;
  });
}

