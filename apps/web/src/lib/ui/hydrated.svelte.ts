import { onMount } from 'svelte';

/**
 * False until the page's scripts run. Forms here submit through JavaScript; a click that
 * lands before hydration would otherwise send a bare GET and clear what was typed, so
 * their submit buttons wait for this.
 */
export function hydrated(): { readonly current: boolean } {
  let ready = $state(false);
  onMount(() => {
    ready = true;
  });
  return {
    get current() {
      return ready;
    },
  };
}
