/**
 * The browser tests need Debian's Chromium (Playwright never downloads one here). CI
 * installs it (.ci/run) and must run them; elsewhere a machine without it skips them with
 * a line saying how to get it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium) && !process.env.CI) {
  console.log(`skipping the browser tests: no Chromium at ${chromium} (apt-get install -y chromium)`);
  process.exit(0);
}
const result = spawnSync('npm', ['run', 'test:e2e', '-w', '@cutline/web'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
