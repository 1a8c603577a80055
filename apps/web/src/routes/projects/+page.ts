import { createApi } from '#lib/api/client.ts';
import { requireUser } from '#lib/auth/guard.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, fetch, url }) => {
  const { user } = await parent();
  requireUser(user, url);
  return { projects: await createApi(fetch).listProjects('all') };
};
