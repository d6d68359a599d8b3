/**
 * Run by `npm run build` (and so by `npm ci`): fills the caches a start reads (the runbooks, the
 * lab's scenario list) beside the install, in SEED_CACHE_DIR, so that a bot or CLI command on a
 * fresh data folder copies them instead of parsing every YAML file. Each start still compares
 * the fingerprints, so a file changed after the build is read afresh.
 */
import { join } from 'node:path';
import { loadRunbooksCached } from './runbooks-cache.ts';
import { LOCALES_DIR, RUNBOOKS_DIR, SEED_CACHE_DIR } from './paths.ts';
import { scenarioList } from './scenario-list.ts';

export const seedFiles = {
  runbooks: join(SEED_CACHE_DIR, 'runbooks.json'),
  scenarios: join(SEED_CACHE_DIR, 'scenarios.json'),
};

/** Where the caches went; rejects when a runbook or scenario has a problem (nothing is kept then). */
export async function warmCaches(): Promise<string> {
  await loadRunbooksCached(RUNBOOKS_DIR, { localesDir: LOCALES_DIR }, seedFiles.runbooks);
  await scenarioList(seedFiles.scenarios);
  return SEED_CACHE_DIR;
}
