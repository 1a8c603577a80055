import type { beforeHandleAwarenessPayload, Connection, Extension } from '@hocuspocus/server';
import { isTransactionOrigin } from '@hocuspocus/server';
import type { SyncContext } from '../context.ts';
import type { SyncLimits } from '../limits/limits.ts';
import type { SyncMetrics } from '../metrics/sync-metrics.ts';
import { sanitizePresence } from '@cutline/shared/presence';

/**
 * Presence validation (SPEC.md SY50–SY53) in `beforeHandleAwareness`, which Hocuspocus
 * awaits before it applies and broadcasts an awareness update:
 * - every state is rewritten by the presence policy: identity from the session, view
 *   fields shape-checked, everything else dropped;
 * - a connection may only speak for awareness client ids it introduced itself; a state
 *   for an id another connection owns is dropped (so nobody can overwrite someone
 *   else's cursor), and it may introduce only a few ids.
 * Updates relayed from other nodes (Redis) were checked on the node that received them.
 */
export class Presence implements Extension<SyncContext> {
  extensionName = 'cutline-presence';
  private readonly limits: SyncLimits;
  private readonly metrics: SyncMetrics;

  constructor({ limits, metrics }: { limits: SyncLimits; metrics: SyncMetrics }) {
    this.limits = limits;
    this.metrics = metrics;
  }

  async beforeHandleAwareness({ states, connection, document, transactionOrigin }: beforeHandleAwarenessPayload<SyncContext>): Promise<void> {
    if (!connection) {
      if (isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'redis') return;
      states.clear();
      return;
    }
    const auth = connection.context.auth;
    if (!auth) {
      states.clear();
      return;
    }
    const mine = document.getClients(connection);
    const owners = new Map<number, Connection<SyncContext>>();
    for (const other of document.getConnections()) {
      if (other === connection) continue;
      for (const clientId of document.getClients(other)) owners.set(Number(clientId), other as Connection<SyncContext>);
    }
    let introduced = 0;
    const spoken: number[] = [];
    for (const [clientId, raw] of [...states]) {
      if (owners.has(clientId)) {
        states.delete(clientId);
        this.metrics.awarenessDropped.inc({ reason: 'foreign_client_id' });
        continue;
      }
      if (!mine.has(clientId)) {
        introduced += 1;
        if (mine.size + introduced > this.limits.maxAwarenessClientsPerConnection) {
          states.delete(clientId);
          this.metrics.awarenessDropped.inc({ reason: 'too_many_client_ids' });
          continue;
        }
      }
      const { state, dropped } = sanitizePresence(raw, auth.presence);
      for (const field of dropped) this.metrics.awarenessDropped.inc({ reason: field === 'user' ? 'identity' : 'field' });
      states.set(clientId, state);
      // Hocuspocus records an id as this connection's only when y-protocols reports it
      // "added". A client that reconnects keeps its id, and the server still holds that
      // id's clock from before, so its state comes back as "updated" and would not be
      // removed when this connection closes (SY54). Speaking for an id makes it yours.
      spoken.push(clientId);
    }
    for (const clientId of spoken) mine.add(clientId);
  }
}
