/**
 * The lab gateway: a simulated Exchange organisation behind the same port as the PowerShell
 * gateway. Deterministic; with `latency: 'realistic'` it takes about as long as Exchange does,
 * scaled down (Get-ServerHealth 50 ms, a probe 200 to 400 ms), for benchmarks and demos.
 */
import type {
  ExchangeGateway,
  GatewayHealth,
  Operation,
  OperationKind,
  OperationOf,
  ResultOf,
  RunOptions,
  Runbook,
  ServerInfo,
  Clock,
} from '../../core/index.ts';
import { GatewayError, isAppPoolName, isGatewayOperation, isServiceName, isStateChanging } from '../../core/index.ts';
import {
  applyChange,
  appPoolState,
  copyStatus,
  monitorsFrom,
  runProbe,
  serverHealth,
  serviceState,
} from './behaviour.ts';
import { labEndpoints } from './endpoints.ts';
import { LAB_SERVERS } from './organisation.ts';
import { monitoringItems, monitorsOn, probesOn } from './discovery.ts';
import { loadScenario } from './scenarios.ts';
import { applyOverrides, clusterNode, monitoringOverrides, withVersions } from './server-context.ts';
import { assertInvocable, readEvidence, unlistedSpecs } from './evidence.ts';
import {
  assertReachable,
  directoryServers,
  monitoringMailboxes,
  restartReadiness,
  serverStateOf,
} from './server-state.ts';
import { dagStatusOf, queuesOf, replicationHealthOf, serviceHealthOf, websitesOf } from './families.ts';
import type { StateHolder } from './state.ts';
import { fileState, initialState, memoryState } from './state.ts';
import { faultsAt } from './schedule.ts';
import { resetLab } from './reset.ts';

export { listScenarios, loadScenario } from './scenarios.ts';
export type { Scenario } from './scenarios.ts';
export { LAB_SERVERS } from './organisation.ts';

/** What `npm start` shows when nobody picked a scenario: a real problem to walk through. */
export const DEFAULT_SCENARIO = 'imap-backend-hang';

export interface LabOptions {
  readonly runbooks: readonly Runbook[];
  readonly scenariosDir: string;
  readonly clock: Clock;
  readonly latency?: 'none' | 'realistic';
  /** Keep the organisation's state in this file (the CLI: one process per command). */
  readonly stateFile?: string;
  /** Start this scenario; with a state file, only when the file holds another one. */
  readonly scenario?: string;
  /** Servers whose PowerShell endpoint the bot uses (HEALTHBOT_LAB_ENDPOINTS); none by default. */
  readonly endpoints?: readonly string[];
}

/** Deterministic "random" latency per probe name, so benchmarks compare like with like. */
function probeLatency(probe: string, server: string): number {
  let h = 0;
  for (const ch of `${server}\\${probe}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 200 + (h % 201);
}

const LATENCY_MS: Partial<Record<OperationKind, number>> = {
  'get-server-health': 50,
  'get-service': 30,
  'get-app-pool': 30,
  'get-database-copy-status': 40,
  'get-protocol-logging': 30,
  'restart-service': 150,
  'recycle-app-pool': 120,
  'iis-reset': 250,
  'restart-server': 400,
  'set-database-activation': 200,
  'set-protocol-logging': 60,
  'get-restart-readiness': 80,
  'get-server-state': 60,
  'set-server-component-state': 100,
  'redirect-messages': 150,
  'get-monitoring-mailboxes': 120,
  'get-directory-servers': 60,
  'get-cluster-node': 60,
  'set-cluster-node': 150,
  'get-monitoring-overrides': 80,
  'add-monitoring-override': 100,
  'get-recovery-actions': 70,
  'get-probe-history': 90,
  'get-windows-events': 70,
  'get-monitoring-item-identity': 60,
  'get-queue': 60,
  'test-service-health': 80,
  'test-replication-health': 150,
  'get-dag-status': 100,
  'get-website': 40,
  'get-monitoring-items': 300,
};

function wait(ms: number, options: RunOptions | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const limit = options?.timeoutMs;
    const fail = (err: GatewayError) => {
      clearTimeout(timer);
      clearTimeout(guard);
      reject(err);
    };
    const timer = setTimeout(() => {
      clearTimeout(guard);
      resolve();
    }, ms);
    const guard =
      limit !== undefined && limit < ms
        ? setTimeout(() => fail(new GatewayError('timeout', `lab operation took longer than ${limit} ms`)), limit)
        : undefined;
    options?.signal?.addEventListener('abort', () => fail(new GatewayError('timeout', 'aborted')), { once: true });
  });
}

export interface LabGateway extends ExchangeGateway {
  /** The scenario the organisation is in now (a state file may hold one from an earlier run). */
  scenario(): Promise<string>;
  /**
   * Puts the organisation back to a scenario's starting state: the one named, else the configured
   * one, else the one it is in now. Answers the scenario it started; an unknown name is refused.
   */
  reset(scenario?: string): Promise<string>;
}

export async function createLabGateway(options: LabOptions): Promise<LabGateway> {
  const { monitors, probes } = monitorsFrom(options.runbooks);
  const scenario = options.scenario ? await loadScenario(options.scenariosDir, options.scenario) : undefined;
  const fallback = () => loadScenario(options.scenariosDir, DEFAULT_SCENARIO);
  const holder: StateHolder = options.stateFile
    ? await fileState(options.stateFile, scenario, fallback, () => options.clock.now())
    : memoryState(initialState(scenario ?? (await fallback()), options.clock.now()));
  const realistic = options.latency === 'realistic';
  let closed = false;

  const allServers = async (): Promise<readonly ServerInfo[]> => {
    const state = await holder.read();
    return withVersions([...LAB_SERVERS, ...(state.extraServers ?? [])], state);
  };
  let known: readonly ServerInfo[] = await allServers();
  const serverOf = (name: string): ServerInfo => {
    const server = known.find(
      (s) => s.name.toLowerCase() === name.toLowerCase() || s.fqdn.toLowerCase() === name.toLowerCase(),
    );
    if (!server)
      throw new GatewayError('unknown-server', `${name} is not a server of the lab organisation`, { server: name });
    return server;
  };

  /** The same checks the PowerShell gateway makes before touching a shell. */
  const validate = (op: Operation): ServerInfo => {
    if (!isGatewayOperation(op)) throw new GatewayError('not-allowed', `${op.kind} is run by the engine step by step`);
    const server = serverOf(op.server);
    if ('service' in op && !isServiceName(op.service))
      throw new GatewayError('not-allowed', `service ${String(op.service)} is not on the allow-list`);
    if ('appPool' in op && !isAppPoolName(op.appPool))
      throw new GatewayError('not-allowed', `app pool ${String(op.appPool)} is not on the allow-list`);
    return server;
  };

  async function run<K extends OperationKind>(op: OperationOf<K>, runOptions?: RunOptions): Promise<ResultOf<K>> {
    if (closed) throw new GatewayError('unavailable', 'the lab gateway is closed');
    const operation = op as Operation;
    // The scenario's extra servers are read only for a name the default organisation lacks.
    const name = String(operation.server).toLowerCase();
    if (!known.some((s) => s.name.toLowerCase() === name || s.fqdn.toLowerCase() === name)) known = await allServers();
    const server = validate(operation);
    const startedAt = options.clock.now();
    const latency = !realistic
      ? 0
      : operation.kind === 'invoke-probe'
        ? probeLatency(operation.probe, server.name)
        : (LATENCY_MS[operation.kind] ?? 0);
    await wait(latency, runOptions);
    if (isStateChanging(operation)) {
      return (await holder.update((state) => {
        assertReachable(state, server, options.clock.now());
        return applyChange(state, server, operation, options.clock.now());
      })) as ResultOf<K>;
    }
    const state = faultsAt(await holder.read(), options.clock.now());
    assertReachable(state, server, options.clock.now());
    const unlisted = unlistedSpecs(state.evidence);
    const result = ((): unknown => {
      switch (operation.kind) {
        case 'get-server-health':
          return applyOverrides(
            serverHealth(state, monitorsOn([...monitors, ...unlisted.monitors], server), server, operation.healthSets),
            state,
            server,
            options.clock.now(),
          );
        case 'get-cluster-node':
          return clusterNode(state, server);
        case 'get-monitoring-overrides':
          return monitoringOverrides(state, server, operation.healthSets, options.clock.now());
        case 'invoke-probe':
          assertInvocable(state.evidence, server, operation.healthSet, operation.probe);
          return runProbe(
            state,
            probesOn([...probes, ...unlisted.probes], server),
            server,
            operation.healthSet,
            operation.probe,
            startedAt,
            latency || 1,
          );
        case 'get-recovery-actions':
        case 'get-probe-history':
        case 'get-windows-events':
        case 'get-monitoring-item-identity':
          return readEvidence(
            state.evidence,
            { monitors: [...monitors, ...unlisted.monitors], probes: [...probes, ...unlisted.probes] },
            server,
            operation,
            options.clock.now(),
          );
        case 'get-monitoring-items':
          return monitoringItems(monitorsOn(monitors, server), probesOn(probes, server), server, operation.healthSets);
        case 'get-service':
          return serviceState(state, server, operation.service);
        case 'get-app-pool':
          return appPoolState(state, server, operation.appPool);
        case 'get-database-copy-status':
          return copyStatus(state, server);
        case 'get-restart-readiness':
          return restartReadiness(state, server, known, options.clock.now());
        case 'get-server-state':
          return serverStateOf(state, server, options.clock.now());
        case 'get-monitoring-mailboxes':
          return monitoringMailboxes(state, server);
        case 'get-directory-servers':
          return directoryServers(state, server);
        case 'get-queue':
          return queuesOf(state, server);
        case 'test-service-health':
          return serviceHealthOf(state, server, options.clock.now());
        case 'test-replication-health':
          return replicationHealthOf(state, server, options.clock.now());
        case 'get-dag-status':
          return dagStatusOf(state, server, known, options.clock.now());
        case 'get-website':
          return websitesOf(state, server);
        case 'get-protocol-logging':
          return {
            server: server.name,
            protocol: operation.protocol,
            enabled: state.logging[`${server.name}|${operation.protocol}`] ?? false,
            logPath: `C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\${operation.protocol === 'imap' ? 'Imap4' : 'Pop3'}`,
          };
        default:
          throw new GatewayError('failed', `unsupported operation ${(operation as Operation).kind}`);
      }
    })();
    return result as ResultOf<K>;
  }

  return {
    ...(options.endpoints?.length ? labEndpoints(options.endpoints, options.clock) : {}),
    listServers: allServers,
    run,
    scenario: async () => (await holder.read()).scenario,
    async reset(id) {
      const chosen = await loadScenario(options.scenariosDir, id ?? options.scenario ?? (await holder.read()).scenario);
      await resetLab(holder, chosen, options.clock);
      known = await allServers();
      return chosen.id;
    },
    async health(): Promise<GatewayHealth> {
      if (closed) return { ok: false, detail: 'lab gateway closed' };
      const state = await holder.read().catch(() => undefined);
      return state
        ? { ok: true, detail: `lab organisation contoso.com, scenario ${state.scenario}` }
        : { ok: false, detail: 'lab state unreadable' };
    },
    async close() {
      closed = true;
    },
  };
}

/** The lab's current state, for tests and for `healthbot lab` inspection. */
export type { LabState } from './state.ts';
