/** Tolerant parsers for the runbook families' read operations (scripts-families.ts). */
import type {
  DagStatus,
  ReplicationHealth,
  ServerInfo,
  ServiceHealth,
  TransportQueues,
  Websites,
} from '../../core/index.ts';
import { asArray, asRow, badOutput, field, flag, integer, text } from './values.ts';

function single(data: unknown, what: string, server: string) {
  const rows = asArray(data);
  if (rows.length === 0) throw badOutput(`${what}: Exchange returned nothing`, server);
  return asRow(rows[0], what);
}

const names = (v: unknown) =>
  asArray(v)
    .map((x) => text(x))
    .filter((x): x is string => !!x);

export function parseQueues(data: unknown, server: ServerInfo): TransportQueues {
  const row = single(data, 'the transport queues', server.name);
  const queues = asArray(field(row, 'Queues')).map((item) => {
    const q = asRow(item, 'a transport queue');
    const identity = text(field(q, 'Identity'));
    const count = integer(field(q, 'MessageCount'));
    if (!identity || count === undefined)
      throw badOutput('a transport queue without its identity or message count', server.name);
    const deliveryType = text(field(q, 'DeliveryType'));
    const next = text(field(q, 'NextHopDomain'));
    const lastError = text(field(q, 'LastError'));
    return {
      identity,
      status: text(field(q, 'Status')) ?? 'Unknown',
      messageCount: count,
      ...(deliveryType ? { deliveryType } : {}),
      ...(next ? { nextHopDomain: next } : {}),
      ...(lastError ? { lastError } : {}),
    };
  });
  return { server: server.name, queues };
}

export function parseServiceHealth(data: unknown, server: ServerInfo): ServiceHealth {
  const row = single(data, 'the service health', server.name);
  const roles = asArray(field(row, 'Roles')).map((item) => {
    const r = asRow(item, 'a Test-ServiceHealth row');
    const role = text(field(r, 'Role'));
    const notRunning = names(field(r, 'ServicesNotRunning'));
    // A row that does not say is judged by its list: never "running" by default.
    const ok = flag(field(r, 'RequiredServicesRunning')) ?? notRunning.length === 0;
    if (!role) throw badOutput('a Test-ServiceHealth row without its role', server.name);
    return { role, requiredServicesRunning: ok && notRunning.length === 0, servicesNotRunning: notRunning };
  });
  return { server: server.name, roles };
}

export function parseReplicationHealth(data: unknown, server: ServerInfo): ReplicationHealth {
  const row = single(data, 'the replication health', server.name);
  const checks = asArray(field(row, 'Checks')).map((item) => {
    const c = asRow(item, 'a Test-ReplicationHealth row');
    const check = text(field(c, 'Check'));
    const result = text(field(c, 'Result'));
    if (!check || !result) throw badOutput('a Test-ReplicationHealth row without its check or result', server.name);
    const error = text(field(c, 'Error'));
    return { check, result, ...(error ? { error } : {}) };
  });
  return { server: server.name, checks };
}

export function parseDagStatus(data: unknown, server: ServerInfo): DagStatus {
  const row = single(data, 'the DAG status', server.name);
  const dag = field(row, 'Dag');
  if (dag === undefined) return { server: server.name, members: [], operationalServers: [] };
  const d = asRow(dag, 'the DAG');
  const name = text(field(d, 'Name'));
  if (!name) throw badOutput('a DAG without its name', server.name);
  const pam = text(field(d, 'PrimaryActiveManager'));
  const witness = text(field(d, 'WitnessServer'));
  const share = text(field(d, 'WitnessShareInUse'));
  return {
    server: server.name,
    dag: name,
    members: names(field(d, 'Servers')),
    operationalServers: names(field(d, 'OperationalServers')),
    ...(pam ? { primaryActiveManager: pam } : {}),
    ...(witness ? { witnessServer: witness } : {}),
    ...(share ? { witnessShareInUse: share } : {}),
  };
}

/** appcmd's bindings, `http/*:80:,https/*:443:host`: protocol, then address:port:host. */
function bindingsOf(value: string | undefined): { protocol: string; port: number }[] {
  return (value ?? '')
    .split(',')
    .map((b) => /^([a-z.]+)\/[^:]*:(\d+):/i.exec(b.trim()))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ protocol: m[1]!.toLowerCase(), port: Number(m[2]) }));
}

export function parseWebsites(data: unknown, server: ServerInfo): Websites {
  const row = single(data, 'the IIS sites', server.name);
  const sites = asArray(field(row, 'Sites')).map((item) => {
    const s = asRow(item, 'an IIS site');
    const name = text(field(s, 'Name'));
    if (!name) throw badOutput('an IIS site without its name', server.name);
    return { name, state: text(field(s, 'State')) ?? 'Unknown', bindings: bindingsOf(text(field(s, 'Bindings'))) };
  });
  return { server: server.name, sites };
}
