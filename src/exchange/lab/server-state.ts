/**
 * The lab's answers about servers as a whole: DAG membership and every copy of a server's
 * databases, component states and who set them, boot time, and a restart that takes time (the
 * server does not answer, then is back with a new boot time, its components Active one by one).
 */
import type {
  ActionOutcome,
  ComponentState,
  ComponentStateValue,
  DirectoryServers,
  MonitoringMailboxes,
  Operation,
  RestartReadiness,
  ServerInfo,
  ServerState,
} from '../../core/index.ts';
import { COMPONENT_ALLOW_LIST, GatewayError } from '../../core/index.ts';
import { servicesOn } from './organisation.ts';
import type { LabState } from './state.ts';
import { outcomeSay as say } from '../outcome-say.ts';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const key = (server: string, component: string) => `${server}|${component}`;

/** Throws as Exchange would look from outside while the server is restarting. */
export function assertReachable(state: LabState, server: ServerInfo, now: Date): void {
  const restart = state.restarts?.[server.name];
  if (restart && now.getTime() < Date.parse(restart.backAt)) {
    throw new GatewayError(
      'unavailable',
      `${server.fqdn} does not answer: the WinRM client cannot connect (restarting)`,
      { server: server.name },
    );
  }
}

function componentsOf(state: LabState, server: ServerInfo, now: Date): ComponentState[] {
  const restart = state.restarts?.[server.name];
  return COMPONENT_ALLOW_LIST.map((component, i) => {
    const held = state.components?.[key(server.name, component)] ?? [];
    const requesters = [...held];
    // After a restart, components come back one by one; until then the functional requester holds them.
    if (restart) {
      const activeAt = Date.parse(restart.backAt) + (i + 1) * restart.componentSeconds * 1000;
      if (now.getTime() < activeAt) requesters.push({ requester: 'Functional', state: 'Inactive', at: restart.backAt });
    }
    const notActive = requesters.find((r) => r.state !== 'Active');
    return { component, state: notActive?.state ?? 'Active', requesters };
  });
}

export function serverStateOf(state: LabState, server: ServerInfo, now: Date): ServerState {
  const restart = state.restarts?.[server.name];
  const servicesUpAt = restart ? Date.parse(restart.backAt) + restart.componentSeconds * 1000 : 0;
  const stopped = [...servicesOn(server)].filter((svc) => {
    const k = `${server.name}|${svc}`;
    if ((state.startTypes?.[k] ?? 'Automatic') !== 'Automatic') return false;
    return now.getTime() < servicesUpAt || (state.services[k] ?? 'Running') !== 'Running';
  });
  return {
    server: server.name,
    lastBootUpTime: state.bootTimes?.[server.name] ?? new Date(0).toISOString(),
    components: componentsOf(state, server, now),
    servicesNotRunning: stopped,
    ...(server.roles.includes('Mailbox')
      ? {
          activation: {
            policy: state.activationPolicy?.[server.name] ?? 'Unrestricted',
            disabledAndMoveNow: state.activationBlocked.includes(server.name),
          },
        }
      : {}),
  };
}

export function restartReadiness(
  state: LabState,
  server: ServerInfo,
  servers: readonly ServerInfo[],
  now: Date,
): RestartReadiness {
  const databases = new Set(state.copies.filter((c) => same(c.server, server.name)).map((c) => c.database));
  const copies = state.copies.filter((c) => databases.has(c.database)).map((c) => ({ ...c }));
  if (!server.dag) return { server: server.name, members: [], copies };
  const members = servers
    .filter((s) => s.dag === server.dag && !same(s.name, server.name))
    .map((s) => {
      const offline = componentsOf(state, s, now).find((c) => c.component === 'ServerWideOffline')?.state;
      return {
        server: s.name,
        activationPolicy: state.activationPolicy?.[s.name] ?? 'Unrestricted',
        activationDisabledAndMoveNow: state.activationBlocked.includes(s.name),
        ...(offline ? { serverWideOffline: offline } : {}),
      };
    });
  return { server: server.name, dag: server.dag, members, copies };
}

/** Set-ServerComponentState: one requester's say; the component is Active only when all say so. */
export function setComponent(
  state: LabState,
  server: ServerInfo,
  op: Extract<Operation, { kind: 'set-server-component-state' }>,
  now: Date,
): ActionOutcome {
  state.components ??= {};
  const k = key(server.name, op.component);
  const others = (state.components[k] ?? []).filter((r) => r.requester !== op.requester);
  state.components[k] =
    op.state === 'Active' ? others : [...others, { requester: op.requester, state: op.state, at: now.toISOString() }];
  // Inactive wins over Draining, which wins over Active, whoever asked.
  const held = state.components[k];
  const now_ = held.find((r) => r.state === 'Inactive') ?? held.find((r) => r.state === 'Draining');
  if (held.length === 0) delete state.components[k];
  const result = now_?.state ?? 'Active';
  return result === op.state
    ? {
        ok: true,
        detail: `${op.component} is ${op.state} on ${server.name} (requester ${op.requester})`,
        say: say('componentSet', {
          component: op.component,
          state: op.state,
          server: server.name,
          requester: op.requester,
        }),
      }
    : {
        ok: false,
        detail: `${op.component} on ${server.name} is still ${result}: requester ${now_?.requester ?? '?'} holds it`,
        say: say('componentHeldBy', {
          component: op.component,
          state: result,
          server: server.name,
          requester: now_?.requester ?? '?',
        }),
      };
}

/** A restart: unreachable for a while, then back with a new boot time. */
export function beginRestart(state: LabState, server: ServerInfo, now: Date): void {
  const timing = state.restartTiming ?? { downSeconds: 30, componentSeconds: 2 };
  const backAt = new Date(now.getTime() + timing.downSeconds * 1000).toISOString();
  state.bootTimes = { ...state.bootTimes, [server.name]: backAt };
  state.restarts = { ...state.restarts, [server.name]: { backAt, componentSeconds: timing.componentSeconds } };
  // Component states are kept across a restart, as Exchange keeps them: a reboot lifts none.
}

export function monitoringMailboxes(state: LabState, server: ServerInfo): MonitoringMailboxes {
  const set = state.monitoringMailboxes?.find((m) => same(m.server, server.name));
  const database =
    set?.database ?? state.copies.find((c) => same(c.server, server.name))?.database ?? state.copies[0]?.database;
  if (!database) return { server: server.name, mailboxes: [], copies: [] };
  return {
    server: server.name,
    mailboxes: [{ name: `HealthMailbox-${server.name}-001`, database }],
    copies: state.copies.filter((c) => c.database === database).map((c) => ({ ...c })),
  };
}

export function directoryServers(state: LabState, server: ServerInfo): DirectoryServers {
  const set = state.directoryServers?.find((d) => same(d.server, server.name));
  return {
    server: server.name,
    domainControllers: set?.domainControllers ?? ['dc1.contoso.com', 'dc2.contoso.com'],
    globalCatalogs: set?.globalCatalogs ?? ['dc1.contoso.com', 'dc2.contoso.com'],
  };
}

export type { ComponentStateValue };
