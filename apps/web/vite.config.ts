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
    }),
  ],
  server: { port: 5173, strictPort: true },
  // Native and Node-only packages reached through @cutline/shared stay external: the
  // workspace package itself is compiled from source, its dependencies are not.
  ssr: { external: ['@node-rs/argon2', 'postgres', 'pino', 'zod', '@oslojs/crypto', '@oslojs/encoding'] },
});
