/** Where the project's data files live, independent of the working directory. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RUNBOOKS_DIR = join(PROJECT_ROOT, 'runbooks');
export const LOCALES_DIR = join(PROJECT_ROOT, 'locales');
export const SCENARIOS_DIR = join(PROJECT_ROOT, 'config', 'lab-scenarios');
export const LAB_POLICY_FILE = join(PROJECT_ROOT, 'config', 'lab.yaml');
