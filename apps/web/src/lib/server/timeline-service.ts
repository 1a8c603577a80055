import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { documentName } from '@cutline/shared/auth';
import { applyStoredDocument, documentVersion, readDocument, storedVersion, subscribeDocumentChanges } from '@cutline/shared/document-log';
import type { EditRequest } from '@cutline/shared/sync-client';
import { snapshot, type TimelineSnapshot } from '@cutline/timeline';
import { serverContext } from './context.ts';

export type SavedTimeline = {
  /** `documentVersion` of the rows this was built from. */
  version: string;
  /** Strong ETag of `body` (quoted): equal content, equal tag, on every web node. */
  etag: string;
  snapshot: TimelineSnapshot;
  state: Uint8Array;
  /** `{"timeline":…}` as UTF-8, ready to send: a 300-clip timeline is ~100 KB of JSON. */
  body: Uint8Array<ArrayBuffer>;
};

/**
 * How long a cached timeline is served without asking the database, as a safety net for
 * notices that never arrive (the listening connection dropped and has not noticed yet).
 * Normally a notice drops the copy within milliseconds of the commit.
 */
export const REVALIDATE_MS = 2_000;
const MAX_CACHED = 200;

type Entry = { value: SavedTimeline; checkedAt: number };
type Load = { promise: Promise<SavedTimeline>; detached: boolean };

const entries = new Map<string, Entry>();
const loads = new Map<string, Load>();
/** True once LISTEN is in place; until then every read checks the version in the database. */
let listening = false;
let subscription: Promise<unknown> | null = null;

/**
 * Forgets a document's cached state. A read that is loading it right now still answers
 * the requests that were waiting for it (they started before the change was known), but
 * its result is not kept: the next request loads again.
 */
function invalidate(name: string): void {
  entries.delete(name);
  const load = loads.get(name);
  if (load) {
    load.detached = true;
    loads.delete(name);
  }
}

function ensureListening(): void {
  if (subscription) return;
  const { sql, log } = serverContext();
  subscription = subscribeDocumentChanges({
    sql,
    onChange: (name) => invalidate(name),
    // Notices sent while the connection was down are lost: start from nothing.
    onListen: () => {
      for (const name of new Set([...entries.keys(), ...loads.keys()])) invalidate(name);
      listening = true;
    },
  }).catch((error: unknown) => {
    log.warn({ err: error }, 'cannot listen for document changes; timeline reads check the database each time');
    subscription = null;
  });
}

async function load(name: string): Promise<SavedTimeline> {
  const stored = await readDocument(serverContext().sql, name);
  const doc = new Y.Doc();
  try {
    applyStoredDocument(doc, stored);
    const timeline = snapshot(doc);
    const body = new TextEncoder().encode(JSON.stringify({ timeline }));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    return { version: storedVersion(stored), etag, snapshot: timeline, state: Y.encodeStateAsUpdate(doc), body };
  } finally {
    doc.destroy();
  }
}

/** One load per document at a time: a burst of requests after a change shares it. */
function loadShared(name: string): Promise<SavedTimeline> {
  const running = loads.get(name);
  if (running) return running.promise;
  const record: Load = {
    detached: false,
    promise: load(name).then(
      (value) => {
        if (!record.detached) {
          loads.delete(name);
          entries.delete(name);
          entries.set(name, { value, checkedAt: Date.now() });
          if (entries.size > MAX_CACHED) entries.delete(entries.keys().next().value ?? '');
        }
        return value;
      },
      (error: unknown) => {
        if (!record.detached) loads.delete(name);
        throw error;
      },
    ),
  };
  loads.set(name, record);
  return record.promise;
}

/**
 * The saved state of a project's timeline: what sync has told clients is stored, read from
 * the update log (apps/sync/SPEC.md, "Durability").
 *
 * Served from memory, with no database round trip, while it is known to be current:
 * migration 006 notifies every commit that adds rows to a document, and that notice drops
 * the copy here; server-side edits drop it themselves when they return (`editTimeline`), so
 * the caller of a commands POST always reads its own write on this node. Live edits made
 * through sync show up once the notice arrives (milliseconds after the commit), and at the
 * latest after REVALIDATE_MS, when a copy is checked against the database again.
 *
 * `fresh` checks the stored version first (one small query): a render pins exactly what
 * is saved at that moment, notice or not.
 */
export async function readTimeline({ projectId, fresh = false }: { projectId: string; fresh?: boolean }): Promise<SavedTimeline> {
  ensureListening();
  const name = documentName(projectId, 'timeline');
  const entry = entries.get(name);
  if (!entry) return loadShared(name);
  if (!fresh && listening && Date.now() - entry.checkedAt < REVALIDATE_MS) return entry.value;
  const version = await documentVersion(serverContext().sql, name);
  if (version !== entry.value.version) {
    if (entries.get(name) === entry) invalidate(name);
    return loadShared(name);
  }
  // A notice may have dropped this entry while the version was being read; then it stays dropped.
  if (entries.get(name) === entry) entry.checkedAt = Date.now();
  return entry.value;
}

/**
 * Applies timeline commands through sync (which answers once they are in the log) and drops
 * the cached copy, also when the call failed: a timeout may still have been stored.
 */
export async function editTimeline(request: EditRequest): Promise<{ results: unknown[] }> {
  try {
    return await serverContext().editor.apply(request);
  } finally {
    invalidate(request.documentName);
  }
}
