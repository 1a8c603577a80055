import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as uws from 'uWebSockets.js';

export type UwsModule = typeof uws;

export type UwsLoad = { ok: true; uws: UwsModule; binary: string } | { ok: false; reason: string };

/**
 * Loads the native uWebSockets.js build for this Node ABI, or explains why not.
 *
 * The package's own entry point silently falls back to a pure-JS emulation when no
 * binary matches (Node 24 here: ABI 137 has none), which must never count as "uws"
 * (SPEC.md SY70). So the binary is required by its path and nothing else.
 */
export function loadNativeUws(): UwsLoad {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('uWebSockets.js/package.json'));
  } catch {
    return { ok: false, reason: 'the uWebSockets.js package is not installed' };
  }
  const name = `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;
  const binary = join(packageDir, 'binaries', name);
  if (!existsSync(binary)) {
    return { ok: false, reason: `no native build ${name} for Node ${process.version} (ABI ${process.versions.modules})` };
  }
  try {
    return { ok: true, uws: require(binary) as UwsModule, binary };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, reason: `${name} does not load: ${message}` };
  }
}
