/**
 * Parsers for what a restart depends on and is waited out on: DAG membership and every copy of a
 * server's databases (with their queues and content index), boot time, components and services.
 */
import type {
  ActionOutcome,
  ComponentState,
  ComponentStateValue,
  DagMember,
  DatabaseCopy,
  DirectoryServers,
  MonitoringMailboxes,
  OperationOf,
  RestartReadiness,
  ServerInfo,
  ServerState,
} from '../../core/index.ts';
import type { Row } from './values.ts';
import { asArray, asRow, badOutput, copyStatus, field, flag, instant, integer, text } from './values.ts';
import { outcomeSay as say } from '../outcome-say.ts';

const COMPONENT_STATES: readonly ComponentStateValue[] = ['Active', 'Inactive', 'Draining'];

function componentState(value: unknown): ComponentStateValue | undefined {
  const s = text(value)?.toLowerCase();
  return COMPONENT_STATES.find((c) => c.toLowerCase() === s);
}

function single(data: unknown, what: string, server: string): Row {
  const rows = asArray(data);
  if (rows.length === 0) throw badOutput(`${what}: Exchange returned nothing`, server);
  return asRow(rows[0], what);
}

function copyOf(item: unknown, server: ServerInfo): DatabaseCopy {
  const row = asRow(item, 'a database copy');
  const [dbFromName, serverFromName] = (text(field(row, 'Name')) ?? '').split('\\');
  const database = text(field(row, 'DatabaseName')) ?? dbFromName;
  const host = text(field(row, 'MailboxServer')) ?? serverFromName;
  const raw = field(row, 'Status');
  const status = copyStatus(raw);
  if (!database || !host) throw badOutput('a database copy without its database or server', server.name);
  if (!status) throw badOutput(`the status "${String(raw)}" of copy ${database}\\${host}`, server.name);
  const preference = integer(field(row, 'ActivationPreference'));
  const copyQueue = integer(field(row, 'CopyQueueLength'));
  const replayQueue = integer(field(row, 'ReplayQueueLength'));
  const index = text(field(row, 'ContentIndexState'));
  return {
    database,
    server: host.toLowerCase() === server.fqdn.toLowerCase() ? server.name : host,
    status,
    ...(preference !== undefined ? { activationPreference: preference } : {}),
    ...(copyQueue !== undefined ? { copyQueueLength: copyQueue } : {}),
    ...(replayQueue !== undefined ? { replayQueueLength: replayQueue } : {}),
    ...(index ? { contentIndexState: index } : {}),
  };
}

export function parseRestartReadiness(data: unknown, server: ServerInfo): RestartReadiness {
  const row = single(data, 'the DAG and database copies', server.name);
  const dag = text(field(row, 'Dag'));
  const members: DagMember[] = asArray(field(row, 'Members')).map((item) => {
    const m = asRow(item, 'a DAG member');
    const name = text(field(m, 'Name'));
    if (!name) throw badOutput('a DAG member without a name', server.name);
    const policy = text(field(m, 'DatabaseCopyAutoActivationPolicy'));
    const offline = componentState(field(m, 'ServerWideOffline'));
    return {
      server: name,
      ...(policy ? { activationPolicy: policy } : {}),
      activationDisabledAndMoveNow: flag(field(m, 'DatabaseCopyActivationDisabledAndMoveNow')) ?? false,
      ...(offline ? { serverWideOffline: offline } : {}),
    };
  });
  const copies = asArray(field(row, 'Copies')).map((c) => copyOf(c, server));
  return { server: server.name, ...(dag ? { dag } : {}), members, copies };
}

export function parseServerState(data: unknown, server: ServerInfo): ServerState {
  const row = single(data, 'the server state', server.name);
  const boot = instant(field(row, 'LastBootUpTime'));
  if (!boot) throw badOutput('LastBootUpTime', server.name);
  const components: ComponentState[] = asArray(field(row, 'Components')).map((item) => {
    const c = asRow(item, 'a server component');
    const name = text(field(c, 'Component'));
    const state = componentState(field(c, 'State'));
    if (!name || !state) throw badOutput(`the state of component ${name ?? '?'}`, server.name);
    const requesters = asArray(field(c, 'Requesters')).flatMap((r) => {
      const q = asRow(r, 'a component requester');
      const requester = text(field(q, 'Requester'));
      const rs = componentState(field(q, 'State'));
      const at = instant(field(q, 'Timestamp'));
      return requester && rs ? [{ requester, state: rs, ...(at ? { at } : {}) }] : [];
    });
    return { component: name, state, requesters };
  });
  // Exchange always lists a server's components and answers Test-ServiceHealth with a row per role:
  // an empty answer is unreadable, never "all Active, all running".
  if (components.length === 0) throw badOutput('Get-ServerComponentState returned no components', server.name);
  const healthRows = integer(field(row, 'ServiceHealthRows'));
  if (!healthRows) throw badOutput('Test-ServiceHealth returned no role', server.name);
  const servicesNotRunning = asArray(field(row, 'ServicesNotRunning'))
    .map((s) => text(s))
    .filter((s): s is string => !!s);
  const a = field(row, 'Activation');
  const activation = a === undefined ? undefined : asRow(a, 'the activation settings');
  const policy = activation ? text(field(activation, 'DatabaseCopyAutoActivationPolicy')) : undefined;
  return {
    server: server.name,
    lastBootUpTime: boot,
    components,
    servicesNotRunning,
    ...(activation
      ? {
          activation: {
            ...(policy ? { policy } : {}),
            disabledAndMoveNow: flag(field(activation, 'DatabaseCopyActivationDisabledAndMoveNow')) ?? false,
          },
        }
      : {}),
  };
}

export function parseComponentOutcome(
  op: OperationOf<'set-server-component-state'>,
  data: unknown,
  server: ServerInfo,
): ActionOutcome {
  const row = single(data, `component ${op.component}`, server.name);
  const now = componentState(field(row, 'State'));
  if (!now) throw badOutput(`the state of component ${op.component}`, server.name);
  // A component is Active only when every requester says so: another requester can keep it Inactive.
  return now === op.state
    ? {
        ok: true,
        detail: `${op.component} is ${now} on ${server.name} (requester ${op.requester})`,
        say: say('componentSet', { component: op.component, state: now, server: server.name, requester: op.requester }),
      }
    : {
        ok: false,
        detail: `${op.component} on ${server.name} is still ${now}: another requester holds it`,
        say: say('componentHeldByOther', { component: op.component, state: now, server: server.name }),
      };
}

export function parseMonitoringMailboxes(data: unknown, server: ServerInfo): MonitoringMailboxes {
  const row = single(data, 'the monitoring mailboxes', server.name);
  const mailboxes = asArray(field(row, 'Mailboxes')).map((item) => {
    const m = asRow(item, 'a monitoring mailbox');
    const name = text(field(m, 'Name'));
    const database = text(field(m, 'Database'));
    if (!name || !database) throw badOutput('a monitoring mailbox without its name or database', server.name);
    return { name, database };
  });
  return { server: server.name, mailboxes, copies: asArray(field(row, 'Copies')).map((c) => copyOf(c, server)) };
}

export function parseDirectoryServers(data: unknown, server: ServerInfo): DirectoryServers {
  const row = single(data, 'the directory servers in use', server.name);
  const names = (v: unknown) =>
    asArray(v)
      .map((x) => text(x))
      .filter((x): x is string => !!x);
  return {
    server: server.name,
    domainControllers: names(field(row, 'CurrentDomainControllers')),
    globalCatalogs: names(field(row, 'CurrentGlobalCatalogs')),
  };
}
