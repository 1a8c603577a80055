import type { RequestEvent } from '@sveltejs/kit';
import { errorBody } from './errors.ts';
import type { Endpoint } from './endpoint.ts';

type Compiled = { endpoint: Endpoint; pattern: RegExp; names: string[] };

function compile(endpoint: Endpoint): Compiled {
  const names: string[] = [];
  const source = endpoint.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_m, a: string, b: string) => {
    names.push(a ?? b);
    return '([^/]+)';
  });
  return { endpoint, pattern: new RegExp(`^${source}$`), names };
}

/**
 * One router for /api/v1: the same list of endpoints serves requests and generates the
 * OpenAPI document, so the two cannot drift apart.
 */
export function createRouter(endpoints: Endpoint[]): (event: RequestEvent, path: string) => Promise<Response> {
  const compiled = endpoints.map(compile);
  return async (event, path) => {
    const matches = compiled.filter((c) => c.pattern.test(path));
    if (matches.length === 0) return Response.json(errorBody('not_found', `No API route ${path}`), { status: 404 });
    const method = event.request.method === 'HEAD' ? 'GET' : event.request.method;
    const match = matches.find((c) => c.endpoint.method === method);
    if (!match) {
      const allow = [...new Set(matches.map((c) => c.endpoint.method))].join(', ');
      return Response.json(errorBody('method_not_allowed', `${method} is not supported here; use ${allow}`), {
        status: 405,
        headers: { allow },
      });
    }
    const values = match.pattern.exec(path)?.slice(1) ?? [];
    const params: Record<string, string> = {};
    match.names.forEach((name, i) => {
      params[name] = decodeURIComponent(values[i] ?? '');
    });
    return match.endpoint.handle(event, params);
  };
}
