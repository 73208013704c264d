import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'native/**/*.test.ts', 'electron/**/*.test.ts', 'bench/**/*.test.ts', 'renderer/**/*.test.ts'],
    exclude: ['electron/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Policy runs start real python3 processes and simulator workers; two cores here.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Runs the CLI records go to a throwaway store, never the user's history.
    env: { CAPLAB_DB: join(tmpdir(), `caplab-test-${process.pid}.db`) },
  },
});
