import type { ProjectSession } from '../session/project-session.svelte.ts';

/** What `?debug` puts on `window.__cutline`. */
export type DevtoolsHandle = { session: ProjectSession };

declare global {
  interface Window {
    __cutline?: DevtoolsHandle;
  }
}

/**
 * With `?debug` in the editor's URL, the open session (its Y.Docs, providers' state,
 * role) is on `window.__cutline` for devtools and the browser tests, which use it to
 * force a write past the UI and see the server refuse it (tests/e2e/roles.e2e.ts).
 *
 * Safe to ship: it hands page scripts nothing they could not reach already (they run
 * with the same cookie and can open the same socket) and grants no right — every write
 * is checked by the server (apps/sync SY2–SY4); the UI is not the security boundary.
 * Off by default so no global leaks into ordinary pages.
 */
export function exposeForDevtools(handle: DevtoolsHandle, url: URL = new URL(location.href)): () => void {
  if (!url.searchParams.has('debug')) return () => {};
  window.__cutline = handle;
  return () => {
    if (window.__cutline === handle) delete window.__cutline;
  };
}
