import { defineConfig } from 'vitest/config';

// Two suites: `core` runs anywhere (committed fixtures); `corpus` runs over ../shared/pcaps and
// compares with tshark. Piscina workers load TypeScript through tsx (execArgv below).
export default defineConfig({
  test: {
    execArgv: ['--import', 'tsx'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'core', include: ['test/**/*.test.ts'], exclude: ['test/corpus/**'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'corpus', include: ['test/corpus/**/*.test.ts'], environment: 'node', fileParallelism: false },
      },
    ],
  },
});
