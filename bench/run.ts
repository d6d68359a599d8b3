/**
 * `npm run bench`: every benchmark, one after another, each printing its own figures. Numbers on
 * a shared machine are noisy: compare ratios from one run and medians, not absolute times.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const benches: [file: string, exportName: string][] = [
  // Issue 20's table first: its start-time and burst figures are whole-process and cold-JIT ones.
  ['lighter.ts', 'benchLighter'],
  ['diagnosis.ts', 'benchDiagnosis'],
  ['runbooks.ts', 'benchRunbooks'],
  ['store.ts', 'benchStore'],
  ['powershell.ts', 'benchPowerShell'],
  ['slack.ts', 'benchSlack'],
  ['teams.ts', 'benchTeams'],
  ['reliability.ts', 'benchReliability'],
  ['alerts.ts', 'benchAlerts'],
];

const only = process.argv[2];
for (const [file, name] of benches) {
  if (only && !file.startsWith(only)) continue;
  const path = join(import.meta.dirname, file);
  if (!existsSync(path)) continue;
  const mod = (await import(pathToFileURL(path).href)) as Record<string, () => Promise<void>>;
  console.log(`\n== ${file.replace('.ts', '')} ==`);
  await mod[name]!();
}
