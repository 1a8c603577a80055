import type { PageLoad } from './$types';

// Accepting is a POST made from the browser after the page shows (never on a prefetch).
export const ssr = false;

export const load: PageLoad = async ({ params }) => ({ token: params.token });
