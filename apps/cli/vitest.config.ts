import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // the tests spawn the real bundle: build it once before any of them
    globalSetup: ['./src/testing/build-bundle.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
