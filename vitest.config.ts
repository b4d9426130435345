import { defineConfig } from 'vitest/config';

// Two projects: unit tests need nothing but Node; integration tests get one real control plane per run
// (test/setup/cluster.ts) and loopback stand-ins for GitHub and Route 53.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/cluster.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // The control plane runs on 2 cores beside the tests: keep the file concurrency low.
          maxWorkers: 2,
        },
      },
    ],
  },
});
