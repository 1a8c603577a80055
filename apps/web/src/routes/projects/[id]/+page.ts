import { createApi } from '#lib/api/client.ts';
import { requireUser } from '#lib/auth/guard.ts';
import type { PageLoad } from './$types';

// The editor is a browser app (WebCodecs, WebSocket, AudioContext): nothing to render on the server.
export const ssr = false;

export const load: PageLoad = async ({ parent, fetch, params, url }) => {
  const { user } = await parent();
  const me = requireUser(user, url);
  const project = await createApi(fetch).getProject(params.id);
  return { project, me };
};
