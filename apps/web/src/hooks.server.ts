import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import { newRequestId, sanitizeRequestId, withRequestId } from '@cutline/shared/log';
import { serverContext } from '#lib/server/context.ts';

export const handle: Handle = async ({ event, resolve }) => {
  const requestId = sanitizeRequestId(event.request.headers.get('x-request-id')) ?? newRequestId();
  event.locals.requestId = requestId;
  return withRequestId(requestId, async () => {
    const response = await resolve(event);
    response.headers.set('x-request-id', requestId);
    return response;
  });
};

/** Unknown errors are logged with the request id and shown to the user without internals. */
export const handleError: HandleServerError = (input) => {
  switch (input.kind) {
    case 'app':
      return input.error;
    case 'framework':
      return { code: input.error.status === 404 ? 'not_found' : 'http_error', message: input.error.message };
    case 'validation':
      return { code: 'invalid_input', message: input.error.message };
    case 'unknown':
      serverContext().log.error({ err: input.error, path: input.event.url.pathname }, 'unhandled error');
      return { code: 'internal', message: 'Internal error' };
  }
};
