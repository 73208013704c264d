import { defineConfig } from 'vitest/config';

/**
 * The console's end-to-end suite (`electron/e2e/**\/*.e2e.ts`): browser mode driven by Playwright
 * in Debian's Chromium. One file at a time: each test runs a server, a simulator, python3 and a
 * headless browser on a two-core machine.
 */
export default defineConfig({
  test: {
    include: ['electron/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
