import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The shared embedded PostgreSQL 18, plus the transports to test (tests/global-setup.ts).
    globalSetup: ['./tests/global-setup.ts'],
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
