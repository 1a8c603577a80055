import { createApi } from '#lib/api/client.ts';
import type { User } from '#lib/api/types.ts';
import type { LayoutLoad } from './$types';

/**
 * Who is signed in; every page reads `data.user`. Anything but a yes (401, or the API
 * being down) counts as signed out, so the public pages still render.
 */
export const load: LayoutLoad = async ({ fetch }) => {
  try {
    const user: User | null = await createApi(fetch).me();
    return { user };
  } catch {
    return { user: null };
  }
};
