/**
 * The lab's scenario list (the web chat's picker), kept in a cache while no scenario file changed:
 * listing parses and checks every scenario file, a third of a warm start's CPU (issue 20).
 */
import { join } from 'node:path';
import { cachedByFiles } from './file-cache.ts';
import { PROJECT_ROOT, SCENARIOS_DIR } from './paths.ts';

export type ScenarioList = { id: string; title: string; description?: string }[];

const isScenarioList = (v: unknown): v is ScenarioList =>
  Array.isArray(v) &&
  v.every((s: { id?: unknown; title?: unknown }) => typeof s?.id === 'string' && typeof s.title === 'string');

/**
 * What the list depends on: the scenario files, and the lab's loader (its sources, or the bundle
 * this runs from). `seedFile`: the list `npm run build` kept beside the install.
 */
export function scenarioList(cacheFile: string, seedFile?: string): Promise<ScenarioList> {
  const inputs = [SCENARIOS_DIR, join(PROJECT_ROOT, 'src', 'exchange', 'lab'), import.meta.dirname];
  const list = async () => (await import('../exchange/lab/index.ts')).listScenarios(SCENARIOS_DIR);
  return cachedByFiles(cacheFile, inputs, list, isScenarioList, seedFile);
}
