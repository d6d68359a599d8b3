/** Where the project's data files live, independent of the working directory. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Compiled (`npm run build`), this file sits one level deeper, in dist/src/wiring/; the runbooks,
// locales and lab files stay beside the sources.
export const PROJECT_ROOT = existsSync(join(here, '../..', 'package.json'))
  ? resolve(here, '../..')
  : resolve(here, '../../..');
export const RUNBOOKS_DIR = join(PROJECT_ROOT, 'runbooks');
export const LOCALES_DIR = join(PROJECT_ROOT, 'locales');
export const SCENARIOS_DIR = join(PROJECT_ROOT, 'config', 'lab-scenarios');
export const LAB_POLICY_FILE = join(PROJECT_ROOT, 'config', 'lab.yaml');
/** The lab organisation's state, kept beside the database so a restart (and the CLI) sees the same lab. */
export const labStateFile = (dataDir: string): string => join(dataDir, 'lab-state.json');
