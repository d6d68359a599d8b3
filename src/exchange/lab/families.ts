/**
 * The lab's answers to the runbook families' read operations: transport queues, service health
 * per role, replication checks, the DAG and the IIS sites. Derived from the lab's state (services,
 * copies, components, restarts), so a scenario that stops MSExchangeRepl or leaves HubTransport
 * draining shows in them without saying so twice.
 */
import type {
  DagStatus,
  ReplicationHealth,
  ServerInfo,
  ServiceHealth,
  TransportQueues,
  Websites,
} from '../../core/index.ts';
import { serviceState } from './behaviour.ts';
import { servicesOn } from './organisation.ts';
import type { LabState } from './state.ts';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function running(state: LabState, server: ServerInfo, service: Parameters<typeof serviceState>[2], now: Date): boolean {
  const restart = state.restarts?.[server.name];
  if (restart && now.getTime() < Date.parse(restart.backAt) + restart.componentSeconds * 1000) return false;
  return serviceState(state, server, service).status === 'Running';
}

/** Queues: what the scenario puts there, else an empty delivery queue per Mailbox server; a draining server holds its submissions. */
export function queuesOf(state: LabState, server: ServerInfo): TransportQueues {
  const own = (state.queues ?? []).filter((q) => same(q.server, server.name));
  if (own.length > 0) return { server: server.name, queues: own.map(({ server: _s, ...q }) => ({ ...q })) };
  if (!server.roles.includes('Mailbox')) return { server: server.name, queues: [] };
  const draining = (state.components?.[`${server.name}|HubTransport`] ?? []).some((r) => r.state !== 'Active');
  return {
    server: server.name,
    queues: [
      {
        identity: `${server.name}\\Submission`,
        deliveryType: 'Undefined',
        status: draining ? 'Suspended' : 'Ready',
        messageCount: draining ? 42 : 0,
        nextHopDomain: 'Submission',
      },
    ],
  };
}

export function serviceHealthOf(state: LabState, server: ServerInfo, now: Date): ServiceHealth {
  return {
    server: server.name,
    roles: server.roles.map((role) => {
      const automatic = [...servicesOn({ ...server, roles: [role] })].filter(
        (s) => (state.startTypes?.[`${server.name}|${s}`] ?? 'Automatic') === 'Automatic',
      );
      const notRunning = automatic.filter((s) => !running(state, server, s, now));
      return {
        role: role === 'Mailbox' ? 'Mailbox Server Role' : 'Client Access Server Role',
        requiredServicesRunning: notRunning.length === 0,
        servicesNotRunning: notRunning,
      };
    }),
  };
}

/** The checks Test-ReplicationHealth runs, judged from the Replication service and the server's copies. */
export function replicationHealthOf(state: LabState, server: ServerInfo, now: Date): ReplicationHealth {
  const replay = running(state, server, 'MSExchangeRepl', now);
  const copies = state.copies.filter((c) => same(c.server, server.name));
  const check = (name: string, ok: boolean, error?: string) => ({
    check: name,
    result: ok ? 'Passed' : 'Failed',
    ...(!ok && error ? { error } : {}),
  });
  const failed = copies.filter((c) => c.status === 'Failed' || c.status === 'FailedAndSuspended');
  const suspended = copies.filter((c) => c.status === 'Suspended' || c.status === 'FailedAndSuspended');
  const lagging = copies.filter((c) => (c.copyQueueLength ?? 0) > 10);
  return {
    server: server.name,
    checks: [
      check('ClusterService', true),
      check('ReplayService', replay, `The Microsoft Exchange Replication service is not running on ${server.name}.`),
      check('ActiveManager', replay, 'Active Manager is not running (it runs inside the Replication service).'),
      check('TasksRpcListener', replay, 'The Tasks RPC listener is not answering.'),
      check('TcpListener', replay, 'The TCP listener for log copying is not answering.'),
      check('DagMembersUp', true),
      check('ClusterNetwork', true),
      check('QuorumGroup', true),
      check(
        'DBCopySuspended',
        suspended.length === 0,
        `Suspended copies: ${suspended.map((c) => `${c.database}\\${c.server}`).join(', ')}`,
      ),
      check(
        'DBCopyFailed',
        failed.length === 0,
        `Failed copies: ${failed.map((c) => `${c.database}\\${c.server}`).join(', ')}`,
      ),
      check(
        'DBLogCopyKeepingUp',
        replay && lagging.length === 0,
        `Copy queues too long: ${lagging.map((c) => `${c.database}\\${c.server}`).join(', ') || 'log copying stopped'}`,
      ),
    ],
  };
}

export function dagStatusOf(state: LabState, server: ServerInfo, servers: readonly ServerInfo[], now: Date): DagStatus {
  if (!server.dag) return { server: server.name, members: [], operationalServers: [] };
  const members = servers.filter((s) => s.dag === server.dag);
  const up = members.filter((s) => {
    const restart = state.restarts?.[s.name];
    return !(restart && now.getTime() < Date.parse(restart.backAt)) && running(state, s, 'MSExchangeRepl', now);
  });
  return {
    server: server.name,
    dag: server.dag,
    members: members.map((s) => s.name),
    operationalServers: up.map((s) => s.name),
    ...(up[0] ? { primaryActiveManager: up[0].name } : {}),
    witnessServer: 'fs1.contoso.com',
  };
}

/** The two Exchange sites: the front end on 443, the back end on 444; a scenario may stop one. */
export function websitesOf(state: LabState, server: ServerInfo): Websites {
  const stopped = (name: string) =>
    (state.stoppedSites ?? []).some((s) => same(s.server, server.name) && same(s.site, name));
  const site = (name: string, http: number, https: number) => ({
    name,
    state: stopped(name) ? 'Stopped' : 'Started',
    bindings: [
      { protocol: 'http', port: http },
      { protocol: 'https', port: https },
    ],
  });
  return {
    server: server.name,
    sites: [
      site('Default Web Site', 80, 443),
      ...(server.roles.includes('Mailbox') ? [site('Exchange Back End', 81, 444)] : []),
    ],
  };
}
