import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The API tests run the real production server, so build it once per run (turbo caches it). */
export default function setup(): void {
  const root = join(import.meta.dirname, '../../..');
  const result = spawnSync(join(root, 'node_modules/.bin/turbo'), ['run', 'build', '--filter=@cutline/web', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('web build failed');
}
