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
    setSecurityHeaders(response.headers);
    return response;
  });
};

/** The sync WebSocket's origin, which pages must be allowed to connect to. */
let syncOrigin: string | undefined;

function syncSource(): string {
  syncOrigin ??= new URL(serverContext().config.SYNC_PUBLIC_URL).origin;
  return syncOrigin;
}

/**
 * Every response: no MIME sniffing (user uploads are served as files), no full URLs in
 * Referer to other sites, no framing (X-Frame-Options for browsers without CSP
 * frame-ancestors). Pages get SvelteKit's CSP (vite.config.ts), completed here with the
 * sync origin.
 */
function setSecurityHeaders(headers: Headers): void {
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  headers.set('x-frame-options', 'DENY');
  const csp = headers.get('content-security-policy');
  if (csp) headers.set('content-security-policy', csp.replace(/(^|;\s*)connect-src ([^;]*)/, (_, lead: string, sources: string) => `${lead}connect-src ${sources} ${syncSource()}`));
}

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
