import { sveltekit } from '@sveltejs/kit/vite';
import adapter from '@sveltejs/adapter-node';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter({ out: 'build' }),
      compilerOptions: { runes: true },
      // SvelteKit's own check also refuses mutating requests that carry no Origin and no
      // content type, i.e. every `DELETE` from a program using a bearer token. Our check in
      // hooks.server.ts refuses any request whose Origin is another site instead.
      csrf: { trustedOrigins: ['*'] },
      // An editor tab stays open for hours: check for a new deployment every minute, so
      // the page can offer a reload before old code meets documents written by new code.
      version: { pollInterval: 60_000 },
      // Content-Security-Policy of every page; SvelteKit adds a nonce (hashes on prerendered
      // pages) to script-src for its own inline scripts. hooks.server.ts adds the sync
      // server's origin to connect-src at run time (SYNC_PUBLIC_URL is not known here).
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          // Svelte transitions insert <style> elements and app.html has a style attribute;
          // scripts, not styles, are what an injection could run.
          'style-src': ['self', 'unsafe-inline'],
          // blob: the editor's previews, thumbnails and exported frames.
          'img-src': ['self', 'data:', 'blob:'],
          'media-src': ['self', 'blob:'],
          'font-src': ['self', 'data:'],
          'connect-src': ['self', 'blob:'],
          // The preview renders in a module worker (preview.worker.ts).
          'worker-src': ['self', 'blob:'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
    }),
  ],
  server: { port: 5173, strictPort: true },
  // Native and Node-only packages reached through @cutline/shared stay external: the
  // workspace package itself is compiled from source, its dependencies are not.
  ssr: { external: ['@node-rs/argon2', 'postgres', 'pino', 'zod', '@oslojs/crypto', '@oslojs/encoding'] },
});
