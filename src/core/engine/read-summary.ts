/**
 * What a diagnosis read, per health set: the worst alert value, how many monitors, and (for a
 * question about a health set) their names. And whether the health set asked about was read at
 * all: a set with no monitor in the answer is absent, never healthy.
 */
import type { AlertValue, MonitorHealth } from '../model/exchange.ts';
import type { RollupEntry } from '../model/incident.ts';

const ALERT_ORDER: readonly AlertValue[] = [
  'Unhealthy',
  'Degraded',
  'Unavailable',
  'Repairing',
  'Unknown',
  'UnInitialized',
  'Disabled',
  'Healthy',
];
const rank = (v: AlertValue) => ALERT_ORDER.indexOf(v);

/** Per health set read, worst first; monitor names only when `withNames` (a question about a set). */
export function readRollup(rows: readonly MonitorHealth[], withNames: boolean): RollupEntry[] {
  const sets = new Map<string, { healthSet: string; alertValue: AlertValue; monitors: string[] }>();
  for (const row of rows) {
    const entry = sets.get(row.healthSet) ?? { healthSet: row.healthSet, alertValue: row.alertValue, monitors: [] };
    if (rank(row.alertValue) < rank(entry.alertValue)) entry.alertValue = row.alertValue;
    // One monitor may have a row per target resource: it is one monitor read.
    if (!entry.monitors.includes(row.monitor)) entry.monitors.push(row.monitor);
    sets.set(row.healthSet, entry);
  }
  return [...sets.values()]
    .sort((a, b) => rank(a.alertValue) - rank(b.alertValue) || a.healthSet.localeCompare(b.healthSet))
    .map((e) => ({
      healthSet: e.healthSet,
      alertValue: e.alertValue,
      monitorCount: e.monitors.length,
      ...(withNames ? { monitors: e.monitors } : {}),
    }));
}

/** The health set asked about, when no row of the answer belongs to it. */
export function absentSets(asked: string | undefined, rows: readonly MonitorHealth[]): string[] {
  if (!asked) return [];
  return rows.some((r) => r.healthSet.toLowerCase() === asked.toLowerCase()) ? [] : [asked];
}
