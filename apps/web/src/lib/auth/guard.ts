import { redirect } from '@sveltejs/kit';
import type { User } from '#lib/api/types.ts';
import { resolve } from '$app/paths';

/** For pages that need an account: the user, or a redirect to log in and come back. */
export function requireUser(user: User | null, url: URL): User {
  if (!user) redirect(303, loginUrl(url.pathname));
  return user;
}

/** The login URL that brings the person back to `pathname` afterwards. */
export function loginUrl(pathname: string): string {
  return resolve(`/login?next=${encodeURIComponent(pathname)}`);
}
