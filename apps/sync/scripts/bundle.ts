/**
 * Bundles the sync server into one JavaScript file for Node 20 (SPEC.md SY71).
 *
 * Why: the native uWebSockets.js build loads under Node 20 on this Debian 12 (glibc 2.36)
 * machine, but Node 20 cannot strip TypeScript types and the workspace packages are
 * TypeScript sources. Only our own code (apps/sync, @cutline/*) goes into the bundle;
 * every npm dependency stays external and is loaded from node_modules, so there is one
 * copy of yjs at run time (two would break Yjs' instanceof checks).
 *
 * The file lands directly in apps/sync/dist/ on purpose: @cutline/shared/config finds the
 * repository root three directories above its own module URL, which for the bundle is
 * apps/sync/dist/ — the same root.
 *
 * Usage: node scripts/bundle.ts   (prints the path it wrote)
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE_PATH = join(appDir, 'dist', 'sync-node20.mjs');

export async function bundleForNode20(): Promise<string> {
  await build({
    input: join(appDir, 'src', 'main.ts'),
    platform: 'node',
    logLevel: 'warn',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@cutline/') && !id.startsWith('\0'),
    transform: { target: 'node20' },
    output: { file: BUNDLE_PATH, format: 'esm', sourcemap: true },
  });
  return BUNDLE_PATH;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await bundleForNode20());
}
