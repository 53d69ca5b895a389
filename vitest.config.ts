import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    globalSetup: ['__tests__/support/global-setup.ts'],
    // Files run in parallel: each worker has a moto of its own, and the shared issuer never changes
    // (__tests__/support/global-setup.ts). A worker per core: the tests keep the cores busy
    // (moto, dist/index.js runs, the tctl stand-in), and a worker more only adds contention.
    maxWorkers: Number(process.env.TEST_WORKERS) || os.availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
