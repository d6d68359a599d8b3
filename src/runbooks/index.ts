export type { LintProblem, LoadedRunbooks, LoadOptions } from './load.ts';
export { KNOWN_HEALTH_SETS_FILE, lintRunbooks, loadRunbooks } from './load.ts';
