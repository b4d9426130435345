import { defineConfig } from 'vitest/config';

// Three projects:
// - unit: pure code and error paths, nothing but Node;
// - integration: real SDKs over HTTP to loopback stand-ins (GitHub, Route 53, serverless-offline);
// - cluster: everything that needs Kubernetes, against one real control plane per run (test/setup/cluster.ts).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 0 } } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // The projects run one after the other (2 cores): unit, then integration, then cluster.
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 2 },
          globalSetup: ['test/setup/cluster.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // The control plane runs on the same 2 cores as the tests: keep file concurrency low.
          maxWorkers: 2,
        },
      },
    ],
  },
});
