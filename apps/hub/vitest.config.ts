import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // each file starts its own hubs; two workers suit the 2-core machines here
    maxWorkers: 2,
  },
});
