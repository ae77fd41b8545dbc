import { defineConfig } from 'vitest/config';

// Browser tests (widgets/**, sdk/**) run under web-test-runner, not here.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          environment: 'node',
          // Tests that start servers and child processes: 5 s is too tight on two loaded cores.
          testTimeout: 30_000,
          hookTimeout: 30_000,
          globalSetup: ['test/pg-skipped.ts'],
          include: ['test/server/**/*.test.ts', 'test/store/**/*.test.ts', 'test/engine/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // A loaded machine (CI shares two cores with Chromium and the server) can take
          // longer than the 1 s default to re-render; a poll still fails when the page never gets there.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
