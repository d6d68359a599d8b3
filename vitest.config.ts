import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on a two-core machine is one worker. The slow files spend their time
    // waiting on child processes (CLI commands taking turns on one database, a bot restarting),
    // so two workers overlap that waiting instead of adding it up.
    maxWorkers: 2,
    // The JSON report lets .ci/run print the one `N passed, N failed` line CI reads.
    reporters: ['default', 'json'],
    outputFile: { json: 'test/artifacts/vitest-report.json' },
  },
});
