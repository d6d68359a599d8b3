/**
 * Exchange's JSON (the `data` of a script's envelope) into the model the lab also returns. The
 * caller passes the server as the inventory knows it, so names come back in one spelling.
 */
import type {
  ActivationOutcome,
  AppPoolState,
  DatabaseCopy,
  MailProtocol,
  MonitorHealth,
  Operation,
  OperationKind,
  OperationOf,
  ProbeResult,
  ProtocolLogging,
  ResultOf,
  ServerInfo,
  ServerRole,
  ServiceState,
} from '../../core/index.ts';
import { isActivationPolicy } from '../../core/index.ts';
import type { Row } from './values.ts';
import { parseRebalance } from './parse-recovery.ts';
import {
  parseClusterNode,
  parseClusterNodeOutcome,
  parseMonitoringOverrides,
  parseOverrideOutcome,
} from './parse-serverstate.ts';
import {
  parseMonitoringItemRows,
  parseProbeHistory,
  parseRecoveryActions,
  parseWindowsEvents,
} from './parse-evidence.ts';
import {
  parseComponentOutcome,
  parseDirectoryServers,
  parseMonitoringMailboxes,
  parseRestartReadiness,
  parseServerState,
} from './parse-state.ts';
import {
  parseDagStatus,
  parseQueues,
  parseReplicationHealth,
  parseServiceHealth,
  parseWebsites,
} from './parse-families.ts';
import { parseMonitoringItems } from './parse-discovery.ts';
import {
  alertValue,
  appPoolStatus,
  asArray,
  asRow,
  badOutput,
  copyStatus,
  field,
  flag,
  instant,
  integer,
  probeResultType,
  serviceStatus,
  text,
} from './values.ts';
import { outcomeSay as say } from '../outcome-say.ts';

const START_TYPES = ['Boot', 'System', 'Automatic', 'Manual', 'Disabled'] as const;

/** When the script ran, as we measured it; used where Exchange's own times are missing. */
export interface Timing {
  readonly startedAt: Date;
  readonly endedAt: Date;
}

function single(data: unknown, what: string, server: string): Row {
  const rows = asArray(data);
  if (rows.length === 0) throw badOutput(`${what}: Exchange returned nothing`, server);
  return asRow(rows[0], what);
}

export function parseServerHealth(
  data: unknown,
  server: ServerInfo,
  healthSets: readonly string[] | undefined,
): MonitorHealth[] {
  const wanted = healthSets?.map((h) => h.toLowerCase());
  const rows: MonitorHealth[] = [];
  for (const item of asArray(data)) {
    const row = asRow(item, 'a Get-ServerHealth row');
    const monitor = text(field(row, 'Name'));
    const healthSet = text(field(row, 'HealthSetName', 'HealthSet'));
    // A value this bot does not know (a newer build's) makes that monitor unknown, not the whole answer unreadable.
    const alert = alertValue(field(row, 'AlertValue')) ?? 'Unknown';
    if (!monitor || !healthSet) throw badOutput('a Get-ServerHealth row without Name or HealthSetName', server.name);
    // The script filters too; filtering again here keeps the guarantee independent of the build.
    if (wanted?.length && !wanted.includes(healthSet.toLowerCase())) continue;
    const target = text(field(row, 'TargetResource'));
    const state = text(field(row, 'CurrentHealthSetState'));
    const first = instant(field(row, 'FirstAlertObservedTime'));
    const last = instant(field(row, 'LastTransitionTime'));
    const error = text(field(row, 'Error'));
    rows.push({
      server: server.name,
      monitor,
      healthSet,
      alertValue: alert,
      ...(target ? { targetResource: target } : {}),
      ...(state ? { state } : {}),
      ...(first ? { firstAlertObservedTime: first } : {}),
      ...(last ? { lastTransitionTime: last } : {}),
      ...(error ? { error } : {}),
    });
  }
  return rows;
}

export function parseProbe(
  data: unknown,
  server: ServerInfo,
  op: OperationOf<'invoke-probe'>,
  timing: Timing,
): ProbeResult {
  const row = single(data, `the result of ${op.healthSet}\\${op.probe}`, server.name);
  const raw = field(row, 'ResultType', 'Result');
  const resultType = probeResultType(raw);
  if (!resultType) throw badOutput(`ResultType "${String(raw)}" of ${op.healthSet}\\${op.probe}`, server.name);
  const started = instant(field(row, 'ExecutionStartTime')) ?? timing.startedAt.toISOString();
  let ended = instant(field(row, 'ExecutionEndTime')) ?? timing.endedAt.toISOString();
  if (Date.parse(ended) < Date.parse(started)) ended = started;
  const error = text(field(row, 'Error'));
  const exception = text(field(row, 'Exception'));
  return {
    server: server.name,
    healthSet: op.healthSet,
    probe: op.probe,
    resultType,
    ...(error ? { error } : {}),
    ...(exception ? { exception } : {}),
    startedAt: started,
    endedAt: ended,
    durationMs: Date.parse(ended) - Date.parse(started),
  };
}

export function parseService(data: unknown, server: ServerInfo, service: string): ServiceState {
  const row = single(data, `service ${service}`, server.name);
  const raw = field(row, 'Status');
  const status = serviceStatus(raw);
  if (!status) throw badOutput(`the status "${String(raw)}" of ${service}`, server.name);
  const displayName = text(field(row, 'DisplayName'));
  // StartType arrives as a name (or the ServiceStartMode number 0..4 from older remoting).
  const rawStart = text(field(row, 'StartType'));
  const startType =
    START_TYPES.find((s) => s.toLowerCase() === rawStart?.toLowerCase()) ??
    (rawStart && /^[0-4]$/.test(rawStart) ? START_TYPES[Number(rawStart)] : undefined);
  return {
    server: server.name,
    service,
    ...(displayName ? { displayName } : {}),
    status,
    ...(startType ? { startType } : {}),
  };
}

export function parseAppPool(data: unknown, server: ServerInfo, appPool: string): AppPoolState {
  const row = single(data, `application pool ${appPool}`, server.name);
  const raw = field(row, 'State', 'Value', 'Status');
  const status = appPoolStatus(raw);
  if (!status) throw badOutput(`the state "${String(raw)}" of ${appPool}`, server.name);
  return { server: server.name, appPool, status };
}

export function parseCopies(data: unknown, server: ServerInfo): DatabaseCopy[] {
  return asArray(data).map((item) => {
    const row = asRow(item, 'a database copy');
    // Name is "<Database>\<Server>"; DatabaseName and MailboxServer are missing on some builds.
    const [dbFromName, serverFromName] = (text(field(row, 'Name')) ?? '').split('\\');
    const database = text(field(row, 'DatabaseName')) ?? dbFromName;
    const host = text(field(row, 'MailboxServer')) ?? serverFromName ?? server.name;
    const raw = field(row, 'Status');
    const status = copyStatus(raw);
    if (!database) throw badOutput('a database copy without a name', server.name);
    if (!status) throw badOutput(`the status "${String(raw)}" of copy ${database}`, server.name);
    const preference = integer(field(row, 'ActivationPreference'));
    const copyQueue = integer(field(row, 'CopyQueueLength'));
    const replayQueue = integer(field(row, 'ReplayQueueLength'));
    const index = text(field(row, 'ContentIndexState'));
    const active = text(field(row, 'ActiveDatabaseCopy'));
    const inspected = instant(field(row, 'LastInspectedLogTime'));
    return {
      database,
      server:
        host.toLowerCase() === server.name.toLowerCase() || host.toLowerCase() === server.fqdn.toLowerCase()
          ? server.name
          : host,
      status,
      ...(preference !== undefined ? { activationPreference: preference } : {}),
      ...(copyQueue !== undefined ? { copyQueueLength: copyQueue } : {}),
      ...(replayQueue !== undefined ? { replayQueueLength: replayQueue } : {}),
      ...(index ? { contentIndexState: index } : {}),
      ...(active ? { activeServer: active } : {}),
      ...(inspected ? { lastInspectedLogTime: inspected } : {}),
    };
  });
}

export function parseProtocolLogging(data: unknown, server: ServerInfo, protocol: MailProtocol): ProtocolLogging {
  const row = single(data, `${protocol.toUpperCase()} settings`, server.name);
  const enabled = flag(field(row, 'ProtocolLogEnabled'));
  if (enabled === undefined)
    throw badOutput(`ProtocolLogEnabled of the ${protocol.toUpperCase()} settings`, server.name);
  const logPath = text(field(row, 'LogFileLocation'));
  return { server: server.name, protocol, enabled, ...(logPath ? { logPath } : {}) };
}

/** The outcome of a state-changing operation, from what the script read back afterwards. */
export function parseOutcome(op: Operation, data: unknown, server: ServerInfo): ActivationOutcome {
  const name = server.name;
  switch (op.kind) {
    case 'restart-service': {
      const s = parseService(data, server, op.service);
      const row = single(data, `service ${op.service}`, name);
      if (flag(field(row, 'StoppedInTime')) === false)
        return {
          ok: false,
          detail: `${op.service} on ${name} did not stop in time (${s.status}); it was not started again`,
          say: say('serviceNotStopped', { service: op.service, server: name, status: s.status }),
        };
      if (s.status !== 'Running')
        return {
          ok: false,
          detail: `${op.service} on ${name} is ${s.status} after the restart`,
          say: say('serviceNotRunning', { service: op.service, server: name, status: s.status }),
        };
      const since = instant(field(row, 'ProcessStartTime'));
      return {
        ok: true,
        detail: `${op.service} restarted on ${name}${since ? ` (new process since ${since})` : ''}`,
        say: say('serviceRestarted', { service: op.service, server: name }),
      };
    }
    case 'recycle-app-pool': {
      const p = parseAppPool(data, server, op.appPool);
      const row = single(data, `application pool ${op.appPool}`, name);
      const started = text(field(row, 'Action')) === 'start';
      const rapidFail = instant(field(row, 'RapidFailAt'));
      if (p.status !== 'Started')
        return {
          ok: false,
          detail: `${op.appPool} on ${name} is ${p.status} after the ${started ? 'start' : 'recycle'}`,
          say: say(started ? 'appPoolNotStarted' : 'appPoolNotRecycled', {
            appPool: op.appPool,
            server: name,
            status: p.status,
          }),
        };
      if (!started)
        return {
          ok: true,
          detail: `${op.appPool} recycled on ${name}`,
          say: say('appPoolRecycled', { appPool: op.appPool, server: name }),
        };
      // Found stopped: started, not recycled; WAS rapid-fail protection is named when it stopped the pool.
      return {
        ok: true,
        detail: `${op.appPool} on ${name} was stopped and has been started${rapidFail ? ` (WAS rapid-fail protection stopped it at ${rapidFail}, event 5002)` : ''}`,
        say: rapidFail
          ? say('appPoolStartedRapidFail', { appPool: op.appPool, server: name, at: rapidFail })
          : say('appPoolStarted', { appPool: op.appPool, server: name }),
      };
    }
    case 'iis-reset':
    case 'restart-server': {
      const row = single(data, op.kind, name);
      const code = integer(field(row, 'ExitCode'));
      const output = (text(field(row, 'Output')) ?? '')
        .split(/\r?\n/)
        .filter((l) => l.trim())
        .slice(-2)
        .join(' ')
        .slice(0, 300);
      if (code === undefined) throw badOutput(`the exit code of ${op.kind}`, name);
      const command = op.kind === 'iis-reset' ? 'iisreset' : 'shutdown /r';
      // The command's own last lines are Windows's words: shown as written, quoted.
      if (code !== 0)
        return {
          ok: false,
          detail: `${command} on ${name} exited with ${code}${output ? `: ${output}` : ''}`,
          say: say('commandFailed', { command, server: name, code }, output || undefined),
        };
      return op.kind === 'iis-reset'
        ? { ok: true, detail: `IIS restarted on ${name}`, say: say('iisRestarted', { server: name }) }
        : { ok: true, detail: `${name} restarts in 15 seconds`, say: say('serverRestarting', { server: name }) };
    }
    case 'set-database-activation': {
      const row = single(data, 'Set-MailboxServer', name);
      if (op.mode === 'allow') {
        const detail = `activation allowed again on ${name}${op.restorePolicy ? ` (policy ${op.restorePolicy} restored)` : ''}`;
        return {
          ok: true,
          detail,
          say: op.restorePolicy
            ? say('activationAllowedRestored', { server: name, policy: op.restorePolicy })
            : say('activationAllowed', { server: name }),
        };
      }
      // What the policy was before move-now set it Blocked; a value this bot cannot read is not guessed.
      const found = text(field(row, 'PreviousPolicy'));
      const wasDisabled = flag(field(row, 'PreviousDisabledAndMoveNow'));
      const previous = {
        ...(isActivationPolicy(found) ? { previousPolicy: found } : {}),
        ...(wasDisabled !== undefined ? { previousDisabledAndMoveNow: wasDisabled } : {}),
      };
      const still = asArray(field(row, 'StillActive')).map((d) => asRow(d, 'a database still active'));
      if (still.length === 0)
        return {
          ok: true,
          detail: `activation blocked on ${name}; no active copies left on it`,
          say: say('activationBlockedNoneActive', { server: name }),
          ...previous,
        };
      const moving = still.filter((d) => flag(field(d, 'MoveUnderWay')));
      const stuck = still.filter((d) => !flag(field(d, 'MoveUnderWay')));
      const describe = (d: Row) => {
        const others = asArray(field(d, 'OtherCopies'))
          .map((c) => text(c))
          .filter(Boolean);
        return `${text(field(d, 'Database')) ?? '?'} (${text(field(d, 'Status')) ?? '?'}; other copies: ${others.length > 0 ? others.join(', ') : 'none'})`;
      };
      // A move Active Manager is still making is in progress, not a failure; one with nowhere to go is.
      const parts = [
        ...(stuck.length > 0 ? [`cannot move ${stuck.map(describe).join('; ')}`] : []),
        ...(moving.length > 0 ? [`move still in progress for ${moving.map(describe).join('; ')}`] : []),
      ];
      const databases = (rows: Row[]) => rows.map((d) => text(field(d, 'Database')) ?? '?').join(', ');
      const said =
        stuck.length > 0
          ? say('activationBlockedStuck', { server: name, databases: databases(stuck) })
          : say('activationBlockedMoving', { server: name, databases: databases(moving) });
      return {
        ok: stuck.length === 0,
        detail: `activation blocked on ${name}; ${parts.join('; ')}`,
        say: said,
        ...previous,
      };
    }
    case 'set-protocol-logging': {
      const now = parseProtocolLogging(data, server, op.protocol);
      const label = op.protocol.toUpperCase();
      if (now.enabled !== op.enabled)
        return {
          ok: false,
          detail: `${label} protocol logging on ${name} is still ${now.enabled ? 'on' : 'off'}`,
          say: say(now.enabled ? 'loggingStillOn' : 'loggingStillOff', { protocol: label, server: name }),
        };
      // Exchange applies protocol settings when the protocol's services restart.
      return {
        ok: true,
        detail: `${label} protocol logging ${op.enabled ? 'on' : 'off'} on ${name} (effective after the ${label} services restart)`,
        say: say(op.enabled ? 'loggingOnAfterRestart' : 'loggingOffAfterRestart', { protocol: label, server: name }),
      };
    }
    default:
      throw badOutput(`${op.kind} is not a state-changing operation`, name);
  }
}

/** One place that maps each operation to its parser. */
export function parseResult<K extends OperationKind>(
  op: OperationOf<K>,
  data: unknown,
  server: ServerInfo,
  timing: Timing,
): ResultOf<K> {
  const o = op as Operation;
  const result = ((): unknown => {
    switch (o.kind) {
      case 'get-server-health':
        return parseServerHealth(data, server, o.healthSets);
      case 'invoke-probe':
        return parseProbe(data, server, o, timing);
      case 'get-service':
        return parseService(data, server, o.service);
      case 'get-app-pool':
        return parseAppPool(data, server, o.appPool);
      case 'get-database-copy-status':
        return parseCopies(data, server);
      case 'get-protocol-logging':
        return parseProtocolLogging(data, server, o.protocol);
      case 'get-restart-readiness':
        return parseRestartReadiness(data, server);
      case 'get-server-state':
        return parseServerState(data, server);
      case 'set-server-component-state':
        return parseComponentOutcome(o, data, server);
      case 'get-monitoring-mailboxes':
        return parseMonitoringMailboxes(data, server);
      case 'get-directory-servers':
        return parseDirectoryServers(data, server);
      case 'rebalance-databases':
        return parseRebalance(data, server);
      case 'get-recovery-actions':
        return parseRecoveryActions(data, server);
      case 'get-probe-history':
        return parseProbeHistory(data, server);
      case 'get-windows-events':
        return parseWindowsEvents(data, server);
      case 'get-monitoring-item-identity':
        return parseMonitoringItemRows(data, server, o.healthSet);
      case 'get-queue':
        return parseQueues(data, server);
      case 'test-service-health':
        return parseServiceHealth(data, server);
      case 'test-replication-health':
        return parseReplicationHealth(data, server);
      case 'get-dag-status':
        return parseDagStatus(data, server);
      case 'get-website':
        return parseWebsites(data, server);
      case 'get-monitoring-items':
        return parseMonitoringItems(data, server, o.healthSets);
      case 'redirect-messages':
        return {
          ok: true,
          detail: `messages queued on ${server.name} redirected to ${o.target}`,
          say: say('messagesRedirected', { server: server.name, target: o.target }),
        };
      case 'get-cluster-node':
        return parseClusterNode(data, server);
      case 'set-cluster-node':
        return parseClusterNodeOutcome(o, data, server);
      case 'get-monitoring-overrides':
        return parseMonitoringOverrides(o, data, server);
      case 'add-monitoring-override':
        return parseOverrideOutcome(o, data, server);
      default:
        return parseOutcome(o, data, server);
    }
  })();
  return result as ResultOf<K>;
}

/** Get-ExchangeServer rows into the inventory; servers without a Mailbox or Client Access role (Edge) are left out. */
export function parseServers(data: unknown): ServerInfo[] {
  const servers: ServerInfo[] = [];
  for (const item of asArray(data)) {
    const row = asRow(item, 'a Get-ExchangeServer row');
    const name = text(field(row, 'Name'));
    const fqdn = text(field(row, 'Fqdn'));
    if (!name || !fqdn) throw badOutput('a Get-ExchangeServer row without Name or Fqdn');
    const version = text(field(row, 'AdminDisplayVersion'));
    const roleText = asArray(field(row, 'ServerRole'))
      .map((r) => text(r) ?? '')
      .join(',');
    const tokens = new Set(
      roleText
        .split(/[,\s]+/)
        .filter(Boolean)
        .map((t) => t.toLowerCase()),
    );
    const roles = new Set<ServerRole>();
    if (tokens.has('mailbox') || flag(field(row, 'IsMailboxServer'))) roles.add('Mailbox');
    if (tokens.has('clientaccess') || flag(field(row, 'IsClientAccessServer'))) roles.add('ClientAccess');
    // From Exchange 2016 (15.1) the Mailbox role includes the Client Access services.
    const build = /Version\s+15\.(\d+)/i.exec(version ?? '');
    if (roles.has('Mailbox') && build && Number(build[1]) >= 1) roles.add('ClientAccess');
    if (roles.size === 0) continue;
    const site = text(field(row, 'Site'))?.split('/').pop();
    servers.push({
      name,
      fqdn,
      roles: (['ClientAccess', 'Mailbox'] as const).filter((r) => roles.has(r)),
      ...(site ? { site } : {}),
      ...(version ? { version } : {}),
    });
  }
  return servers;
}
