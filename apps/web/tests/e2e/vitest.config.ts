import { defineConfig } from 'vitest/config';

// Browser tests: real Chromium (playwright-core, /usr/bin/chromium) against the real stack.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['./tests/e2e/stack.ts'],
    // One browser at a time: the stack and Chromium share this machine.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
