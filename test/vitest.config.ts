import { defineConfig } from 'vitest/config';

// End-to-end suites start real processes: run files one at a time on CI's 2 cores.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['./src/support/build-bundles.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
