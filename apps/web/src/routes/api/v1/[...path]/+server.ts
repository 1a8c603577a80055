import { route } from '#lib/server/api/registry.ts';
import type { RequestHandler } from './$types';

// Every /api/v1 request goes through one router built from the endpoint list that also
// generates /api/v1/openapi.json (see #lib/server/api/registry.ts).
const handler: RequestHandler = (event) => route(event, `/${event.params.path}`);

export const GET = handler;
export const POST = handler;
export const PATCH = handler;
export const PUT = handler;
export const DELETE = handler;
