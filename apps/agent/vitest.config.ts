import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // agent processes run the freshly built bundle, exactly what gets installed on hosts
    globalSetup: ['./src/testing/build-bundle.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
