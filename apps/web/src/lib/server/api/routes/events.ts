import { serverContext } from '#lib/server/context.ts';
import { onProjectEvent } from '#lib/server/events-hub.ts';
import { AccessRevokedError, type AccessWatch } from '#lib/server/revocation/access-watcher.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { idParams } from '../schemas.ts';

const HEARTBEAT_MS = 15_000;

export const projectEvents = defineEndpoint({
  method: 'GET',
  path: '/projects/{id}/events',
  summary:
    'Server-sent events: asset state changes and render progress in this project. The stream ends (after an `access.revoked` event) as soon as the caller loses access: removed from the project, logged out everywhere, token revoked or expired.',
  tags: ['events'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'project.read' },
  responses: {
    200: { description: 'An event stream (`asset.updated`, `asset.deleted`, `render.updated`, and a last `access.revoked`)', contentType: 'text/event-stream' },
    ...errorResponses,
  },
  handler: async ({ projectId, principal, event: request }) => {
    const encoder = new TextEncoder();
    let stop = (): void => {};
    const stream = new ReadableStream<Uint8Array>({
      start: async (controller) => {
        let closed = false;
        const close = () => {
          stop();
          if (closed) return;
          closed = true;
          try {
            controller.close();
          } catch {
            // already closed
          }
        };
        const send = (text: string) => {
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            close();
          }
        };
        let watch: AccessWatch | null = null;
        const unsubscribe = await onProjectEvent(projectId, (e) => watch?.deliver(() => send(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)));
        try {
          // Watched from before the first event goes out: a revocation that raced the route's
          // own permission check is caught here.
          watch = await serverContext().access.watch({ principal, projectId, action: 'project.read' });
        } catch (error) {
          unsubscribe();
          controller.error(error);
          return;
        }
        const heartbeat = setInterval(() => send(': ping\n\n'), HEARTBEAT_MS);
        const revoked = () => {
          const reason: unknown = watch?.signal.reason;
          const loss = reason instanceof AccessRevokedError ? reason.loss : 'member';
          send(`event: access.revoked\ndata: ${JSON.stringify({ projectId, reason: loss })}\n\n`);
          close();
        };
        stop = () => {
          clearInterval(heartbeat);
          unsubscribe();
          watch?.stop();
        };
        if (watch.signal.aborted) return revoked();
        watch.signal.addEventListener('abort', revoked, { once: true });
        request.request.signal.addEventListener('abort', close, { once: true });
        // Sent once LISTEN is in place: from here on no event of this project is missed.
        send(': connected\nretry: 2000\n\n');
      },
      cancel: () => stop(),
    });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
    });
  },
});
