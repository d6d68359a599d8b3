/**
 * How the lab answers each operation, given its state. Read-only operations look; state-changing
 * ones mend the faults that list them (or that a bigger hammer on the same server covers) and
 * change services, pools, copies and settings the way Exchange would.
 */
import type {
  ActionOutcome,
  ActivationOutcome,
  AppPoolState,
  DatabaseCopy,
  MonitorHealth,
  Operation,
  ProbeResult,
  Runbook,
  ServerInfo,
  ServiceState,
} from '../../core/index.ts';
import { GatewayError, isActivationPolicy } from '../../core/index.ts';
import { appPoolsOn, SERVICE_DISPLAY_NAMES, servicesOn } from './organisation.ts';
import type { Fix } from './scenarios.ts';
import type { ActiveFault, LabState } from './state.ts';
import { beginRestart, setComponent } from './server-state.ts';
import { rebalanceOnto } from './rebalance.ts';
import { addOverride, setClusterNode } from './server-context.ts';
import { outcomeSay as say } from '../outcome-say.ts';

export interface MonitorSpec {
  readonly healthSet: string;
  readonly monitor: string;
  readonly roles: readonly string[];
}

/** The monitors and probes each server runs, from the runbooks' health sets and their roles. */
export function monitorsFrom(runbooks: readonly Runbook[]): { monitors: MonitorSpec[]; probes: MonitorSpec[] } {
  const monitors: MonitorSpec[] = [];
  const probes: MonitorSpec[] = [];
  for (const rb of runbooks) {
    const roles = new Map(rb.healthSets.map((h) => [h.name, h.roles]));
    for (const m of rb.monitors)
      monitors.push({ healthSet: m.healthSet, monitor: m.name, roles: roles.get(m.healthSet) ?? [] });
    for (const p of rb.probes)
      probes.push({ healthSet: p.healthSet, monitor: p.name, roles: roles.get(p.healthSet) ?? [] });
  }
  return { monitors, probes };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const runsOn = (spec: MonitorSpec, server: ServerInfo) => spec.roles.some((r) => server.roles.includes(r as never));

export function serverHealth(
  state: LabState,
  specs: readonly MonitorSpec[],
  server: ServerInfo,
  healthSets: readonly string[] | undefined,
): MonitorHealth[] {
  return specs
    .filter((s) => runsOn(s, server) && (!healthSets?.length || healthSets.some((h) => same(h, s.healthSet))))
    .map((s) => {
      const hit = activeSymptom(
        state,
        server.name,
        (sy) => same(sy.healthSet, s.healthSet) && same(sy.monitor, s.monitor),
      );
      return {
        server: server.name,
        monitor: s.monitor,
        healthSet: s.healthSet,
        alertValue: hit ? hit.symptom.alertValue : 'Healthy',
        targetResource: s.healthSet.split('.')[0]!,
        state: 'Online',
        ...(hit ? { firstAlertObservedTime: hit.fault.since, lastTransitionTime: hit.fault.since } : {}),
        ...(hit?.symptom.error ? { error: hit.symptom.error } : {}),
      };
    });
}

function activeSymptom(state: LabState, server: string, match: (s: ActiveFault['symptoms'][number]) => boolean) {
  for (const fault of state.faults) {
    const symptom = fault.symptoms.find((s) => same(s.server, server) && match(s));
    if (symptom) return { fault, symptom };
  }
  return undefined;
}

export function runProbe(
  state: LabState,
  probes: readonly MonitorSpec[],
  server: ServerInfo,
  healthSet: string,
  probe: string,
  startedAt: Date,
  durationMs: number,
): ProbeResult {
  const known = probes.find((p) => same(p.healthSet, healthSet) && same(p.monitor, probe) && runsOn(p, server));
  if (!known)
    throw new GatewayError('failed', `no probe ${healthSet}\\${probe} on ${server.name}`, { server: server.name });
  const hit = activeSymptom(
    state,
    server.name,
    (s) => s.probe !== undefined && same(s.probe, probe) && same(s.probeHealthSet ?? s.healthSet, healthSet),
  );
  const failed = hit && !hit.fault.transient;
  return {
    server: server.name,
    healthSet: known.healthSet,
    probe: known.monitor,
    resultType: failed ? 'Failed' : 'Succeeded',
    ...(failed && hit.symptom.error ? { error: hit.symptom.error } : {}),
    ...(failed && hit.symptom.exception ? { exception: hit.symptom.exception } : {}),
    startedAt: startedAt.toISOString(),
    endedAt: new Date(startedAt.getTime() + durationMs).toISOString(),
    durationMs,
  };
}

export function serviceState(
  state: LabState,
  server: ServerInfo,
  service: Extract<Operation, { kind: 'get-service' }>['service'],
): ServiceState {
  if (!servicesOn(server).has(service))
    throw new GatewayError('failed', `service ${service} is not installed on ${server.name}`, { server: server.name });
  const faulted = state.faults
    .flatMap((f) => f.services)
    .find((s) => same(s.server, server.name) && s.service === service);
  const status = faulted?.status ?? state.services[`${server.name}|${service}`] ?? 'Running';
  const startType = state.startTypes?.[`${server.name}|${service}`] ?? 'Automatic';
  return { server: server.name, service, displayName: SERVICE_DISPLAY_NAMES[service], status, startType };
}

export function appPoolState(
  state: LabState,
  server: ServerInfo,
  appPool: Extract<Operation, { kind: 'get-app-pool' }>['appPool'],
): AppPoolState {
  if (!appPoolsOn(server).has(appPool))
    throw new GatewayError('failed', `application pool ${appPool} does not exist on ${server.name}`, {
      server: server.name,
    });
  const faulted = state.faults
    .flatMap((f) => f.appPools)
    .find((p) => same(p.server, server.name) && same(p.appPool, appPool));
  return {
    server: server.name,
    appPool,
    status: faulted?.status ?? state.appPools[`${server.name}|${appPool}`] ?? 'Started',
  };
}

export function copyStatus(state: LabState, server: ServerInfo): DatabaseCopy[] {
  return state.copies.filter((c) => c.server === server.name).map((c) => ({ ...c }));
}

/** Does running `op` mend a fault that lists `fix`? A bigger hammer on the same server counts. */
function mends(op: Operation, fix: Fix): boolean {
  if (!same(op.server, fix.server)) return false;
  if (op.kind === 'restart-server')
    return ['restart-server', 'restart-service', 'recycle-app-pool', 'iis-reset'].includes(fix.operation);
  if (op.kind === 'iis-reset') return fix.operation === 'iis-reset' || fix.operation === 'recycle-app-pool';
  if (op.kind !== fix.operation) return false;
  if ('service' in op && fix.service && !same(op.service, fix.service)) return false;
  if ('appPool' in op && fix.appPool && !same(op.appPool, fix.appPool)) return false;
  if (
    op.kind === 'set-server-component-state' &&
    ((fix.component && !same(op.component, fix.component)) || (fix.state && op.state !== fix.state))
  )
    return false;
  return true;
}

function mendFaults(state: LabState, op: Operation): string[] {
  const mended = state.faults.filter((f) => f.fixedBy.some((fix) => mends(op, fix)));
  state.faults = state.faults.filter((f) => !mended.includes(f));
  return mended.map((f) => f.id);
}

function moveDatabasesOff(state: LabState, server: string): ActionOutcome {
  const stuck: string[] = [];
  const moved: string[] = [];
  for (const copy of state.copies.filter((c) => c.server === server && c.status === 'Mounted')) {
    const target = state.copies
      .filter(
        (c) =>
          c.database === copy.database &&
          c.server !== server &&
          c.status === 'Healthy' &&
          !state.activationBlocked.includes(c.server),
      )
      .sort((a, b) => (a.activationPreference ?? 9) - (b.activationPreference ?? 9))[0];
    if (!target) {
      stuck.push(copy.database);
      continue;
    }
    target.status = 'Mounted';
    copy.status = 'Healthy';
    moved.push(`${copy.database} → ${target.server}`);
  }
  if (stuck.length > 0)
    return {
      ok: false,
      detail: `no healthy copy elsewhere for ${stuck.join(', ')}; still mounted on ${server}`,
      say: say('activationBlockedStuck', { server, databases: stuck.join(', ') }),
    };
  return moved.length > 0
    ? {
        ok: true,
        detail: `activation blocked on ${server}; moved ${moved.join(', ')}`,
        say: say('activationBlockedMoved', { server, moved: moved.join(', ') }),
      }
    : {
        ok: true,
        detail: `activation blocked on ${server}; no active copies to move`,
        say: say('activationBlockedNoneActive', { server }),
      };
}

export function applyChange(state: LabState, server: ServerInfo, op: Operation, at: Date): ActivationOutcome {
  let outcome: ActivationOutcome;
  switch (op.kind) {
    case 'restart-service':
      // Windows refuses to start a disabled service; the lab does too.
      if (serviceState(state, server, op.service).startType === 'Disabled') {
        outcome = {
          ok: false,
          detail: `${op.service} on ${server.name} is disabled and cannot be started`,
          say: say('serviceDisabled', { service: op.service, server: server.name }),
        };
        break;
      }
      state.services[`${server.name}|${op.service}`] = 'Running';
      outcome = {
        ok: true,
        detail: `${op.service} restarted on ${server.name}`,
        say: say('serviceRestarted', { service: op.service, server: server.name }),
      };
      break;
    case 'recycle-app-pool':
      appPoolState(state, server, op.appPool);
      state.appPools[`${server.name}|${op.appPool}`] = 'Started';
      outcome = {
        ok: true,
        detail: `${op.appPool} recycled on ${server.name}`,
        say: say('appPoolRecycled', { appPool: op.appPool, server: server.name }),
      };
      break;
    case 'iis-reset':
      outcome = {
        ok: true,
        detail: `IIS restarted on ${server.name}`,
        say: say('iisRestarted', { server: server.name }),
      };
      break;
    case 'restart-server': {
      const mounted = state.copies.filter((c) => c.server === server.name && c.status === 'Mounted');
      // A DAG member going down fails its active copies over by itself; Exchange allows it, the
      // engine's precondition is what keeps it from happening unplanned.
      if (mounted.length > 0) moveDatabasesOff(state, server.name);
      beginRestart(state, server, at);
      outcome = { ok: true, detail: `${server.name} restarted`, say: say('serverRestarted', { server: server.name }) };
      break;
    }
    case 'set-database-activation':
      if (op.mode === 'move-now') {
        // As the real script: the policy found is reported (for the put-back), then set Blocked.
        const found = state.activationPolicy?.[server.name] ?? 'Unrestricted';
        const wasDisabled = state.activationBlocked.includes(server.name);
        if (!wasDisabled) state.activationBlocked.push(server.name);
        state.activationPolicy = { ...state.activationPolicy, [server.name]: 'Blocked' };
        outcome = {
          ...moveDatabasesOff(state, server.name),
          ...(isActivationPolicy(found) ? { previousPolicy: found } : {}),
          previousDisabledAndMoveNow: wasDisabled,
        };
      } else {
        state.activationBlocked = state.activationBlocked.filter((s) => s !== server.name);
        if (op.restorePolicy) {
          state.activationPolicy = { ...state.activationPolicy, [server.name]: op.restorePolicy };
        } else if (state.activationPolicy?.[server.name] === 'Blocked') {
          // No remembered policy (an older put-back): lifting the block is the least that allowing means.
          delete state.activationPolicy[server.name];
        }
        outcome = {
          ok: true,
          detail: `activation allowed again on ${server.name}${op.restorePolicy ? ` (policy ${op.restorePolicy} restored)` : ''}`,
          say: op.restorePolicy
            ? say('activationAllowedRestored', { server: server.name, policy: op.restorePolicy })
            : say('activationAllowed', { server: server.name }),
        };
      }
      break;
    case 'set-server-component-state':
      outcome = setComponent(state, server, op, at);
      break;
    case 'rebalance-databases':
      outcome = rebalanceOnto(state, server);
      break;
    case 'redirect-messages':
      outcome = {
        ok: true,
        detail: `messages queued on ${server.name} redirected to ${op.target}`,
        say: say('messagesRedirected', { server: server.name, target: op.target }),
      };
      break;
    case 'set-cluster-node':
      outcome = setClusterNode(state, server, op);
      break;
    case 'add-monitoring-override':
      outcome = addOverride(state, server, op, at);
      break;
    case 'set-protocol-logging':
      state.logging[`${server.name}|${op.protocol}`] = op.enabled;
      outcome = {
        ok: true,
        detail: `${op.protocol.toUpperCase()} protocol logging ${op.enabled ? 'on' : 'off'} on ${server.name}`,
        say: say(op.enabled ? 'loggingOn' : 'loggingOff', { protocol: op.protocol.toUpperCase(), server: server.name }),
      };
      break;
    default:
      throw new GatewayError('failed', `${op.kind} does not change state`);
  }
  if (outcome.ok) {
    const mended = mendFaults(state, op);
    state.history.push({
      at: at.toISOString(),
      operation: op.kind,
      server: server.name,
      detail: outcome.detail + (mended.length ? ` (mended ${mended.join(', ')})` : ''),
    });
  }
  return outcome;
}
