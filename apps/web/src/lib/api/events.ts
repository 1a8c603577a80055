import { API_BASE } from './client.ts';
import type { ProjectEvent } from './types.ts';

const EVENT_TYPES = ['asset.updated', 'asset.deleted', 'render.updated'] as const;

/**
 * The project's activity stream (`GET /projects/{id}/events`, SSE). EventSource
 * reconnects by itself (the server sets `retry`); `onOpen` fires after every
 * (re)connection, when the caller should refetch what it may have missed.
 */
export function openProjectEventStream({
  projectId,
  onEvent,
  onOpen,
  onError,
}: {
  projectId: string;
  onEvent: (event: ProjectEvent) => void;
  onOpen?: () => void;
  onError?: () => void;
}): () => void {
  const source = new EventSource(`${API_BASE}/projects/${encodeURIComponent(projectId)}/events`, { withCredentials: true });
  const handler = (message: MessageEvent<string>) => {
    try {
      const parsed = JSON.parse(message.data) as ProjectEvent;
      if (parsed.projectId === projectId) onEvent(parsed);
    } catch {
      // not ours
    }
  };
  for (const type of EVENT_TYPES) source.addEventListener(type, handler);
  if (onOpen) source.addEventListener('open', onOpen);
  if (onError) source.addEventListener('error', onError);
  return () => source.close();
}
