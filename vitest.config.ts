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
    // A worker process runs file after file instead of a new one per file: a tenth less CPU. The
    // files share no module state that matters (no mocks; the harness puts back the environment
    // it sets), and every test resets moto, the proxy's log and the tctl stand-in's folder.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
