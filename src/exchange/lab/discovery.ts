/**
 * The lab's answer to "what does this server run": the runbooks' monitors and probes, plus the
 * health-set inventory of its version and roles. A health set that the inventory says a build
 * does not have (UM on 2019) is left out even when a runbook describes it, as on a real server.
 */
import type { MonitoringItem, MonitoringItems, ServerInfo } from '../../core/index.ts';
import type { MonitorSpec } from './behaviour.ts';
import { buildOf, HEALTH_SET_INVENTORY, inventoryOn } from './health-set-inventory.ts';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Health sets the inventory knows but this server's build lacks. */
function absentOn(server: ServerInfo): (healthSet: string) => boolean {
  const build = buildOf(server);
  const missing = HEALTH_SET_INVENTORY.filter((s) => !s.builds.includes(build)).map((s) => s.healthSet.toLowerCase());
  return (healthSet) => missing.includes(healthSet.toLowerCase());
}

function merged(fromRunbooks: readonly MonitorSpec[], server: ServerInfo, kind: 'Monitor' | 'Probe'): MonitorSpec[] {
  const absent = absentOn(server);
  const specs = fromRunbooks.filter((s) => !absent(s.healthSet));
  for (const set of inventoryOn(server)) {
    for (const item of set.items) {
      if (item.itemType !== kind) continue;
      if (specs.some((s) => same(s.healthSet, item.healthSet) && same(s.monitor, item.name))) continue;
      // The inventory already chose the sets by role, so the item runs on any role of this server.
      specs.push({ healthSet: item.healthSet, monitor: item.name, roles: server.roles });
    }
  }
  return specs;
}

/** The monitors Get-ServerHealth reports on `server`. */
export const monitorsOn = (fromRunbooks: readonly MonitorSpec[], server: ServerInfo) =>
  merged(fromRunbooks, server, 'Monitor');
/** The probes Invoke-MonitoringProbe can run on `server`. */
export const probesOn = (fromRunbooks: readonly MonitorSpec[], server: ServerInfo) =>
  merged(fromRunbooks, server, 'Probe');

const runsOn = (spec: MonitorSpec, server: ServerInfo) => spec.roles.some((r) => server.roles.includes(r as never));

/** Get-HealthReport's sets and Get-MonitoringItemIdentity's items, as the PowerShell gateway returns them. */
export function monitoringItems(
  monitors: readonly MonitorSpec[],
  probes: readonly MonitorSpec[],
  server: ServerInfo,
  healthSets: readonly string[] | undefined,
): MonitoringItems {
  const onServer = (specs: readonly MonitorSpec[]) => specs.filter((s) => runsOn(s, server));
  const all = [...new Set([...onServer(monitors), ...onServer(probes)].map((s) => s.healthSet))];
  const wanted = healthSets?.length ? all.filter((h) => healthSets.some((w) => same(w, h))) : all;
  const pick = (specs: readonly MonitorSpec[], itemType: MonitoringItem['itemType']): MonitoringItem[] =>
    onServer(specs)
      .filter((s) => wanted.some((w) => same(w, s.healthSet)))
      .map((s) => ({ healthSet: s.healthSet, name: s.monitor, itemType, targetResource: s.healthSet.split('.')[0]! }));
  return { server: server.name, healthSets: all, items: [...pick(probes, 'Probe'), ...pick(monitors, 'Monitor')] };
}
