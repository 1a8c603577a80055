import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The API tests run the real production server, so build it once per run (turbo caches it). */
export default function setup(): void {
  // `npm test` runs turbo with the build task first (turbo.json) and sets this: building
  // again here could replace build/ while another task's server is reading it.
  if (process.env.CUTLINE_WEB_PREBUILT) return;
  const root = join(import.meta.dirname, '../../..');
  const result = spawnSync(join(root, 'node_modules/.bin/turbo'), ['run', 'build', '--filter=@cutline/web', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('web build failed');
}
