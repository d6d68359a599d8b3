/** Where the project's data files live, independent of the working directory. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root: the nearest folder above this module with a package.json. That is two levels
 * up from the sources (src/wiring/) and one from the bundle (dist/, `npm run build`); the runbooks,
 * locales and lab files stay beside the sources.
 */
function projectRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`healthbot: no package.json above ${import.meta.url}`);
  }
}
export const PROJECT_ROOT = projectRoot();
export const RUNBOOKS_DIR = join(PROJECT_ROOT, 'runbooks');
export const LOCALES_DIR = join(PROJECT_ROOT, 'locales');
export const SCENARIOS_DIR = join(PROJECT_ROOT, 'config', 'lab-scenarios');
export const LAB_POLICY_FILE = join(PROJECT_ROOT, 'config', 'lab.yaml');
/** Caches `npm run build` fills beside the install, for starts on a fresh data folder (warm-caches.ts). */
export const SEED_CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'healthbot', 'seed');
/** The lab organisation's state, kept beside the database so a restart (and the CLI) sees the same lab. */
export const labStateFile = (dataDir: string): string => join(dataDir, 'lab-state.json');
