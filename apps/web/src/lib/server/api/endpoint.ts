import type { RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { authorize, UnauthenticatedError, NotFoundError, type Action, type AuthUser, type Principal, type Role } from '@cutline/shared/auth';
import { serverContext } from '#lib/server/context.ts';
import { discardUnreadBody, readJsonBody } from './body.ts';
import { describeZodError, InvalidInputError, toErrorResponse } from './errors.ts';
import { presentedToken, resolvePrincipal } from './principal.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Which project a route acts on and what it does there. The wrapper resolves the
 * project (directly, or through an asset's or render's row) and asks the one permission
 * policy before the handler runs; non-members get 404, members without the right 403.
 */
export type Scope = { resource: 'project' | 'asset' | 'render'; param: string; action: Action };

export type ResponseSpec = { description: string; schema?: z.ZodType; contentType?: string };

type Result = Response | { status?: number; body: unknown; headers?: Record<string, string> };

export type HandlerInput<P, Q, B, A extends 'public' | 'user'> = {
  event: RequestEvent;
  params: P;
  query: Q;
  body: B;
  principal: A extends 'user' ? Principal : Principal | null;
  user: A extends 'user' ? AuthUser : AuthUser | null;
  /** Set when the endpoint has a scope. */
  projectId: string;
  role: Role | null;
};

export type EndpointDefinition<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends 'public' | 'user'> = {
  method: Method;
  /** OpenAPI path under /api/v1, e.g. `/projects/{id}`. */
  path: string;
  summary: string;
  tags: string[];
  auth: A;
  scope?: Scope;
  params?: P;
  query?: Q;
  /** A zod schema for JSON, or 'stream' when the handler reads the raw body itself. */
  body?: B | 'stream';
  responses: Record<number, ResponseSpec>;
  handler: (input: HandlerInput<z.infer<P>, z.infer<Q>, z.infer<B>, A>) => Promise<Result>;
};

export type Endpoint = {
  method: Method;
  path: string;
  summary: string;
  tags: string[];
  auth: 'public' | 'user';
  scope?: Scope;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType | 'stream';
  responses: Record<number, ResponseSpec>;
  /** Runs the endpoint; `pathParams` come from the router's match of `path`. */
  handle(event: RequestEvent, pathParams: Record<string, string>): Promise<Response>;
};

const empty = z.object({});

/**
 * PostgreSQL text cannot hold U+0000 (it answers "invalid byte sequence" and the request
 * would fail with 500), so every string of every request — path, query and body, keys
 * included — is refused here, once, before any schema sees it. Iterative: depth is bounded
 * for bodies (MAX_JSON_DEPTH) but not for what a future caller might pass.
 */
export function findNul(value: unknown): string[] | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop() as { value: unknown; path: string[] };
    if (typeof v === 'string') {
      if (v.includes('\0')) return path;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: [...path, String(i)] }));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (key.includes('\0')) return [...path, key.replaceAll('\0', '\\u0000')];
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return null;
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  const nul = findNul(value);
  if (nul) throw new InvalidInputError(`${[where, ...nul].join('.')}: must not contain NUL characters (\\u0000)`);
  const result = (schema ?? empty).safeParse(value);
  if (!result.success) throw new InvalidInputError(describeZodError(where, result.error));
  return result.data as z.infer<T>;
}

/**
 * The user behind a session or API token id never changes, so it is remembered: the
 * permission check can then read the role at the same time as the token is verified
 * (one database round trip of latency instead of two). The role read alone decides
 * nothing: it is used only once the token has been verified and names that same user.
 */
const userOfToken = new Map<string, string>();
const MAX_REMEMBERED_TOKENS = 10_000;

/** The public half of `<id>.<secret>` (the secret never becomes a key). */
function tokenId(token: string | null): string | null {
  const dot = token?.indexOf('.') ?? -1;
  return token && dot > 0 ? token.slice(0, dot) : null;
}

function rememberTokenUser(token: string | null, userId: string): void {
  const id = tokenId(token);
  if (!id || userOfToken.get(id) === userId) return;
  userOfToken.set(id, userId);
  if (userOfToken.size > MAX_REMEMBERED_TOKENS) userOfToken.delete(userOfToken.keys().next().value ?? '');
}

type EarlyRole = { userId: string; outcome: Promise<{ role: Role } | { error: unknown }> };

async function projectOf({ scope, id }: { scope: Scope; id: string }): Promise<string> {
  const { sql } = serverContext();
  if (scope.resource === 'project') return id;
  const table = scope.resource === 'asset' ? sql`assets` : sql`renders`;
  const [row] = await sql<{ project_id: string }[]>`select project_id from ${table} where id = ${id}`;
  if (!row) throw new NotFoundError(`${scope.resource === 'asset' ? 'Asset' : 'Render'} not found`);
  return row.project_id;
}

export function defineEndpoint<
  P extends z.ZodType = typeof empty,
  Q extends z.ZodType = typeof empty,
  B extends z.ZodType = typeof empty,
  A extends 'public' | 'user' = 'user',
>(definition: EndpointDefinition<P, Q, B, A>): Endpoint {
  const handle = async (event: RequestEvent, pathParams: Record<string, string>): Promise<Response> => {
    const { sql, log, config } = serverContext();
    try {
      const params = parse(definition.params, pathParams, 'path');
      const query = parse(definition.query, Object.fromEntries(event.url.searchParams), 'query');
      const scopeId = definition.scope ? String((params as Record<string, unknown>)[definition.scope.param] ?? '') : '';
      const token = presentedToken(event);
      const knownUser = definition.scope?.resource === 'project' ? userOfToken.get(tokenId(token) ?? '') : undefined;
      const early: EarlyRole | null =
        definition.scope && knownUser
          ? {
              userId: knownUser,
              // Settles to a value either way: if the token fails, nobody awaits it.
              outcome: authorize({ sql, projectId: scopeId, userId: knownUser, action: definition.scope.action }).then(
                (role) => ({ role }),
                (error: unknown) => ({ error }),
              ),
            }
          : null;
      const { principal } = await resolvePrincipal({ event, sql, token });
      if (definition.auth === 'user' && !principal) throw new UnauthenticatedError();
      if (principal) rememberTokenUser(token, principal.user.id);
      let projectId = '';
      let role: Role | null = null;
      if (definition.scope && principal) {
        projectId = await projectOf({ scope: definition.scope, id: scopeId });
        if (early && early.userId === principal.user.id && projectId === scopeId) {
          const outcome = await early.outcome;
          if ('error' in outcome) throw outcome.error;
          role = outcome.role;
        } else {
          role = await authorize({ sql, projectId, userId: principal.user.id, action: definition.scope.action });
        }
      }
      const body =
        definition.body && definition.body !== 'stream' ? parse(definition.body, await readJsonBody({ request: event.request, idleMs: config.BODY_IDLE_TIMEOUT_MS }), 'body') : undefined;
      const result = await definition.handler({
        event,
        params,
        query,
        body: body as z.infer<B>,
        principal: principal as HandlerInput<z.infer<P>, z.infer<Q>, z.infer<B>, A>['principal'],
        user: (principal?.user ?? null) as HandlerInput<z.infer<P>, z.infer<Q>, z.infer<B>, A>['user'],
        projectId,
        role,
      });
      if (result instanceof Response) return result;
      if (result.status === 204) return new Response(null, { status: 204, headers: result.headers });
      return Response.json(result.body, { status: result.status ?? 200, headers: result.headers });
    } catch (error) {
      // A refused request's body is drained in the background so the client reads our answer.
      discardUnreadBody({ request: event.request, idleMs: config.BODY_IDLE_TIMEOUT_MS });
      const { status, body, headers } = toErrorResponse(error);
      if (status >= 500) log.error({ err: error, path: event.url.pathname }, 'api request failed');
      return Response.json(body, { status, headers });
    }
  };
  return {
    method: definition.method,
    path: definition.path,
    summary: definition.summary,
    tags: definition.tags,
    auth: definition.auth,
    scope: definition.scope,
    params: definition.params,
    query: definition.query,
    body: definition.body,
    responses: definition.responses,
    handle,
  };
}

/** Common response specs. */
export const errorResponses = {
  400: { description: 'Invalid input' },
  401: { description: 'No valid session or API token' },
  403: { description: 'Your role does not allow this' },
  404: { description: 'Not found, or not visible to you' },
} satisfies Record<number, ResponseSpec>;
