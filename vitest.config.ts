import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start SMTP servers, child processes and Chromium: two cores, so keep the pool small.
    maxWorkers: 2,
    // One PostgreSQL server for the run; each test makes its own database on it.
    globalSetup: ['test/global-setup.ts'],
  },
});
