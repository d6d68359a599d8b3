/**
 * Before any button: what the card says about the server first. Read beside the probes, each
 * read bounded by its own time limit (boundedRead), and each one that timed out or failed is
 * stored as such, so the card says "not read" rather than showing an empty, healthy answer:
 * - components not Active and who holds them, activation, boot time (get-server-state, shared
 *   with the held-components reading);
 * - the cluster node of a DAG member held by maintenance;
 * - overrides touching the health set, stale ApplyVersion ones and switched-off items flagged;
 * - the same health set on the other servers of the role (blast radius);
 * - the version and build, with the support badge on the injected clock.
 */
import type { ComponentState, MonitorHealth, ServerInfo, ServerState } from '../model/exchange.ts';
import type { Finding, HeldComponents } from '../model/incident.ts';
import type { FlaggedOverride, ServerContext } from '../model/server-context.ts';
import type { Runbook } from '../model/runbook.ts';
import type { ReadOutcome } from './bounded-read.ts';
import { boundedRead, sideRead } from './bounded-read.ts';
import type { EngineContext } from './context.ts';
import type { HeldFix } from './held-components.ts';
import { EXIT_MAINTENANCE_STEP, maintenancePlan } from './exit-maintenance.ts';
import { buildOfVersion, flagOverrides } from './overrides.ts';
import { articleVersion, serverVersion } from './versions.ts';
import { blastRadius } from './blast-radius.ts';

/** Each side read's own limit: well inside a diagnosis, so a slow one never holds the card up. */
export const SIDE_READ_MS = 8000;
/** The server state goes through WinRM, Test-ServiceHealth and Get-ServerComponentState: it gets longer. */
export const STATE_READ_MS = 15_000;

const FAILING = new Set(['Unhealthy', 'Degraded', 'Unavailable', 'Repairing', 'Unknown']);

/** The cluster node of a DAG member that maintenance holds: paused, it is resumed on the way out. */
export async function clusterNodeFor(
  ctx: EngineContext,
  server: ServerInfo,
  components: readonly ComponentState[],
): Promise<{ clusterNode?: string }> {
  const maintenance = components.some((c) =>
    c.requesters.some((r) => r.requester === 'Maintenance' && r.state !== 'Active'),
  );
  // A standalone server (dag null) has no node; an inventory that does not say (undefined) is asked.
  if (!maintenance || server.dag === null || !server.roles.includes('Mailbox')) return {};
  const read = await boundedRead(ctx.gateway, { kind: 'get-cluster-node', server: server.name }, SIDE_READ_MS);
  return {
    clusterNode: read.status === 'read' ? read.value.state : read.status === 'timed-out' ? 'timed-out' : 'failed',
  };
}

/** Everything maintenance holds becomes one step (leaving maintenance); other holders keep their own fix. */
export function withMaintenanceGrouped(fixes: HeldFix[], held: HeldComponents, server: string): HeldFix[] {
  const plan = maintenancePlan(held, server);
  if (!plan) return fixes;
  const rest = fixes.filter((f) => f.requester !== 'Maintenance' && f.stepId !== 'activation-allow');
  return [{ stepId: EXIT_MAINTENANCE_STEP, requester: 'Maintenance', operation: plan }, ...rest];
}

export interface ContextReading {
  /** The server context once the findings are known (blast radius needs the failing monitor). */
  finish(health: readonly MonitorHealth[], primary: Finding | undefined): Promise<ServerContext>;
}

/** Starts every read at once; `finish` waits for them. */
export function readServerContext(
  ctx: EngineContext,
  server: ServerInfo,
  servers: readonly ServerInfo[],
  runbook: Runbook | undefined,
  healthSet: string | undefined,
  state: Promise<ReadOutcome<ServerState>>,
): ContextReading {
  const sets = [...new Set([...(healthSet ? [healthSet] : []), ...(runbook?.healthSets.map((h) => h.name) ?? [])])];
  const overrides =
    sets.length > 0
      ? boundedRead(
          ctx.gateway,
          { kind: 'get-monitoring-overrides', server: server.name, healthSets: sets },
          SIDE_READ_MS,
        )
      : undefined;
  const roles = new Set(runbook?.healthSets.flatMap((h) => h.roles) ?? server.roles);
  const peers = healthSet ? servers.filter((s) => s.name !== server.name && s.roles.some((r) => roles.has(r))) : [];
  const peerReads = peers.map((p) =>
    boundedRead(ctx.gateway, { kind: 'get-server-health', server: p.name, healthSets: sets }, SIDE_READ_MS).then(
      (r) => ({ peer: p, read: r }),
    ),
  );
  return {
    async finish(health, primary) {
      const now = ctx.clock.now();
      const version = serverVersion(server.version, now);
      const written = runbook ? articleVersion(runbook.source) : undefined;
      const articleFor =
        written && version.product && !written.includes(version.product) ? written.join('/') : undefined;
      const stateRead = sideRead(await state, (s) => ({
        notActive: s.components.filter((c) => c.state !== 'Active').flatMap(notActiveRows),
        ...(s.activation ? { activation: s.activation } : {}),
        lastBootUpTime: s.lastBootUpTime,
      }));
      const build = buildOfVersion(server.version);
      const overridesRead = overrides
        ? sideRead(await overrides, (o): readonly FlaggedOverride[] => flagOverrides(o.overrides, build, now))
        : undefined;
      const disabled = [
        ...new Set(health.filter((h) => h.alertValue === 'Disabled').map((h) => `${h.healthSet}\\${h.monitor}`)),
      ];
      const blast = primary && healthSet ? blastRadius(primary, await Promise.all(peerReads), FAILING) : undefined;
      return {
        version,
        ...(articleFor ? { articleFor } : {}),
        state: stateRead,
        ...(overridesRead ? { overrides: overridesRead } : {}),
        ...(disabled.length > 0 ? { disabledMonitors: disabled } : {}),
        ...(blast ? { blastRadius: blast } : {}),
      };
    },
  };
}

/** One row per requester holding the component; a component with no requester named still shows once. */
function notActiveRows(c: ComponentState): { component: string; state: string; requester?: string; at?: string }[] {
  const holders = c.requesters.filter((r) => r.state !== 'Active');
  if (holders.length === 0) return [{ component: c.component, state: c.state }];
  return holders.map((r) => ({
    component: c.component,
    state: r.state,
    requester: r.requester,
    ...(r.at ? { at: r.at } : {}),
  }));
}
