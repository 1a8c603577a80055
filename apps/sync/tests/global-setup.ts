import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import sharedSetup from '../../../packages/shared/tests/global-setup.ts';
import { bundleForNode20 } from '../scripts/bundle.ts';

/** How to start a sync server process on one transport, or why that transport is skipped. */
export type SyncVariant = {
  transport: 'node' | 'uws';
  command: string;
  args: string[];
  /** Set when the transport cannot run on this machine; the suite is skipped with this text. */
  skip?: string;
};

declare module 'vitest' {
  export interface ProvidedContext {
    syncVariants: SyncVariant[];
  }
}

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The shared embedded PostgreSQL, plus the transports the suites run against (SPEC.md
 * SY71): `node` (ws) on the pinned Node 24, straight from the TypeScript sources, and
 * `uws` on a Node whose ABI has a native uWebSockets.js build — on this Debian 12 machine
 * the system's Node 20 — from a bundle built here, since Node 20 cannot strip types.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardown = await sharedSetup(project);
  const variants: SyncVariant[] = [{ transport: 'node', command: process.execPath, args: [join(appDir, 'src', 'main.ts')] }];
  variants.push(await uwsVariant());
  project.provide('syncVariants', variants);
  return teardown;
}

async function uwsVariant(): Promise<SyncVariant> {
  const candidates = [process.env.SYNC_UWS_NODE, '/usr/bin/node', '/usr/local/bin/node', process.execPath].filter(
    (c): c is string => typeof c === 'string' && c.length > 0 && existsSync(c),
  );
  const seen = new Set<string>();
  const tried: string[] = [];
  for (const node of candidates) {
    const real = realpathSync(node);
    if (seen.has(real)) continue;
    seen.add(real);
    // Loads the native binary for that Node's ABI, never the package's JS fallback.
    const probe = spawnSync(
      node,
      [
        '-e',
        "const p=require('path');const d=p.dirname(require.resolve('uWebSockets.js/package.json'));" +
          "require(p.join(d,'binaries','uws_'+process.platform+'_'+process.arch+'_'+process.versions.modules+'.node'));" +
          'console.log(process.version)',
      ],
      { cwd: appDir, encoding: 'utf8', timeout: 20_000 },
    );
    if (probe.status === 0) {
      const bundle = await bundleForNode20();
      return { transport: 'uws', command: node, args: [bundle] };
    }
    tried.push(`${node}: ${(probe.stderr || probe.stdout || 'failed').split('\n').find((l) => l.trim()) ?? 'failed'}`);
  }
  return {
    transport: 'uws',
    command: '',
    args: [],
    skip: `no Node on this machine loads the native uWebSockets.js build (tried ${tried.join('; ') || 'none'}); set SYNC_UWS_NODE to one that does`,
  };
}
