import { defineConfig } from 'vitest/config';

/**
 * Suites that spawn processes (the CLI, the bot itself, pwsh, Chromium): their own project, so
 * they can be run or left out as a group (`--project processes` / `--project unit`), and so the
 * fast in-process suites do not queue behind child processes.
 */
const PROCESS_SUITES = [
  'test/cli/**/*.test.ts',
  'test/exchange/powershell/{doctor,flow,gateway,injection,restart-state,wiring}.test.ts',
  'test/exchange/pwsh7/**/*.test.ts',
  'test/**/bot-process.test.ts',
  'test/web/browser.test.ts',
];

export default defineConfig({
  test: {
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
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: PROCESS_SUITES } },
      { extends: true, test: { name: 'processes', include: PROCESS_SUITES } },
    ],
  },
});
