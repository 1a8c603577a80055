import type { Queryable, Sql } from './db/client.ts';
import type { ProjectEvent } from './states.ts';

/**
 * Project activity (asset state changes, render progress) travels from any process to the
 * web server's SSE streams through PostgreSQL NOTIFY: no extra broker, works across
 * machines that share the database, and a notification is only delivered if the
 * transaction that wrote the state committed.
 */
export const EVENTS_CHANNEL = 'cutline_events';

export type { ProjectEvent };

/** NOTIFY payloads are limited to 8000 bytes; events carry ids and states, never blobs. */
export async function publishProjectEvent(sql: Queryable, event: ProjectEvent): Promise<void> {
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`;
}

/** Calls `onEvent` for every event published anywhere; returns an unsubscribe function. */
export async function subscribeProjectEvents(sql: Sql, onEvent: (event: ProjectEvent) => void): Promise<() => Promise<void>> {
  const { unlisten } = await sql.listen(EVENTS_CHANNEL, (payload) => {
    try {
      onEvent(JSON.parse(payload) as ProjectEvent);
    } catch {
      // A malformed payload (not ours) is ignored rather than crashing the listener.
    }
  });
  return unlisten;
}
