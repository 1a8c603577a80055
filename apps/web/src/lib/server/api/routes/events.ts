import { onProjectEvent } from '#lib/server/events-hub.ts';
import { defineEndpoint, errorResponses } from '../endpoint.ts';
import { idParams } from '../schemas.ts';

const HEARTBEAT_MS = 15_000;

export const projectEvents = defineEndpoint({
  method: 'GET',
  path: '/projects/{id}/events',
  summary: 'Server-sent events: asset state changes and render progress in this project',
  tags: ['events'],
  auth: 'user',
  params: idParams,
  scope: { resource: 'project', param: 'id', action: 'project.read' },
  responses: { 200: { description: 'An event stream (`asset.updated`, `asset.deleted`, `render.updated`)', contentType: 'text/event-stream' }, ...errorResponses },
  handler: async ({ projectId, event: request }) => {
    const encoder = new TextEncoder();
    let stop = (): void => {};
    const stream = new ReadableStream<Uint8Array>({
      start: async (controller) => {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            stop();
          }
        };
        const unsubscribe = await onProjectEvent(projectId, (e) => send(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`));
        // Sent once LISTEN is in place: from here on no event of this project is missed.
        send(': connected\nretry: 2000\n\n');
        const heartbeat = setInterval(() => send(': ping\n\n'), HEARTBEAT_MS);
        stop = () => {
          clearInterval(heartbeat);
          unsubscribe();
        };
        request.request.signal.addEventListener('abort', () => {
          stop();
          try {
            controller.close();
          } catch {
            // already closed
          }
        });
      },
      cancel: () => stop(),
    });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
    });
  },
});
