import { subscribeProjectEvents, type ProjectEvent } from '@cutline/shared/events';
import { serverContext } from './context.ts';

type Listener = (event: ProjectEvent) => void;

const listeners = new Map<string, Set<Listener>>();
let subscribed: Promise<unknown> | null = null;

/**
 * One LISTEN connection per web process, fanned out to every open SSE stream of the
 * project an event belongs to.
 */
export async function onProjectEvent(projectId: string, listener: Listener): Promise<() => void> {
  subscribed ??= subscribeProjectEvents(serverContext().sql, (event) => {
    for (const l of listeners.get(event.projectId) ?? []) l(event);
  });
  await subscribed;
  const set = listeners.get(projectId) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(projectId, set);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(projectId);
  };
}
