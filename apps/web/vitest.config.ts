import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    // One embedded PostgreSQL per run, and the production build the tests start.
    globalSetup: ['../../packages/shared/tests/global-setup.ts', './tests/build-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
