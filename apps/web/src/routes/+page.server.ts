import { pingDatabase } from '@cutline/shared/db';
import { serverContext } from '#lib/server/context.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ db: await pingDatabase(serverContext().sql) });
