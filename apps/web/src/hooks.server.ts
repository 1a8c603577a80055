import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import { newRequestId, sanitizeRequestId, withRequestId } from '@cutline/shared/log';
import { serverContext } from '#lib/server/context.ts';

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF: browsers send Origin on every cross-origin and every non-GET request, so a
 * mutating request whose Origin is not ours comes from another site's page and is refused.
 * Programs (curl, SDKs, agents) send no Origin and authenticate with a bearer token,
 * which a browser never attaches on its own. The session cookie is also SameSite=Lax.
 */
function crossSite(event: Parameters<Handle>[0]['event']): boolean {
  if (!mutating.has(event.request.method)) return false;
  const origin = event.request.headers.get('origin');
  if (origin === null) return false;
  return origin !== event.url.origin && origin !== new URL(serverContext().config.PUBLIC_URL).origin;
}

export const handle: Handle = async ({ event, resolve }) => {
  const requestId = sanitizeRequestId(event.request.headers.get('x-request-id')) ?? newRequestId();
  event.locals.requestId = requestId;
  if (crossSite(event)) {
    return Response.json({ error: { code: 'cross_site', message: 'Cross-site requests are not accepted' } }, { status: 403 });
  }
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
