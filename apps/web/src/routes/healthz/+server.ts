import { json } from '@sveltejs/kit';
import { pingDatabase } from '@cutline/shared/db';
import { serverContext } from '#lib/server/context.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
  const db = await pingDatabase(serverContext().sql);
  return json({ ok: db, service: 'web', db }, { status: db ? 200 : 503 });
};
