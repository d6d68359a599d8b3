/**
 * Parsers of the server-state area: cluster node, monitoring overrides, and the outcomes of
 * resuming a node and adding an override. Tolerant of how a build spells things (a state as a
 * number or a name, a missing column), strict about what would change the meaning (no state, no item).
 */
import type {
  ActionOutcome,
  ClusterNodeState,
  ClusterNodeStateValue,
  MonitoringOverride,
  MonitoringOverrides,
  OperationOf,
  ServerInfo,
} from '../../core/index.ts';
import { asArray, asRow, badOutput, field, instant, text } from './values.ts';
import { outcomeSay as say } from '../outcome-say.ts';

/** ClusterNodeState's names, and the numbers ConvertTo-Json writes when the enum arrives unconverted. */
const NODE_STATES: readonly ClusterNodeStateValue[] = ['Up', 'Down', 'Paused', 'Joining'];

function nodeState(value: unknown): ClusterNodeStateValue | undefined {
  if (typeof value === 'number') return NODE_STATES[value] ?? 'Unknown';
  const s = text(value)?.toLowerCase();
  if (!s) return undefined;
  if (s === 'none') return 'None';
  return NODE_STATES.find((n) => n.toLowerCase() === s) ?? 'Unknown';
}

function first(data: unknown, what: string, server: string) {
  const rows = asArray(data);
  if (rows.length === 0) throw badOutput(`${what}: nothing came back`, server);
  return asRow(rows[0], what);
}

export function parseClusterNode(data: unknown, server: ServerInfo): ClusterNodeState {
  const state = nodeState(field(first(data, 'the cluster node', server.name), 'State'));
  if (!state) throw badOutput('the cluster node state', server.name);
  return { server: server.name, state };
}

export function parseClusterNodeOutcome(
  op: OperationOf<'set-cluster-node'>,
  data: unknown,
  server: ServerInfo,
): ActionOutcome {
  const { state } = parseClusterNode(data, server);
  const wanted: ClusterNodeStateValue = op.action === 'resume' ? 'Up' : 'Paused';
  const cmdlet = op.action === 'resume' ? 'Resume-ClusterNode' : 'Suspend-ClusterNode';
  return state === wanted
    ? {
        ok: true,
        detail: `cluster node ${server.name} ${op.action === 'resume' ? 'resumed' : 'paused'} (${state})`,
        say: say(op.action === 'resume' ? 'clusterNodeResumed' : 'clusterNodePaused', { server: server.name, state }),
      }
    : {
        ok: false,
        detail: `cluster node ${server.name} is ${state} after ${cmdlet}`,
        say: say('clusterNodeNotChanged', { server: server.name, state, cmdlet }),
      };
}

/** `HealthSet\Item[\TargetResource]` into its parts; absent columns are taken from the identity. */
function overrideOf(item: unknown, server: string): MonitoringOverride | undefined {
  const row = asRow(item, 'a monitoring override');
  const identity = text(field(row, 'Identity')) ?? '';
  const [idSet, idItem, idTarget] = identity.split('\\');
  const healthSet = text(field(row, 'HealthSetName')) ?? idSet;
  const name = text(field(row, 'MonitoringItemName')) ?? idItem;
  const property = text(field(row, 'PropertyName'));
  if (!healthSet || !name || !property)
    throw badOutput(
      `a monitoring override without its health set, item or property (${identity.slice(0, 80)})`,
      server,
    );
  const target = text(field(row, 'TargetResource')) ?? idTarget;
  const applyVersion = text(field(row, 'ApplyVersion'));
  const expiresAt = instant(field(row, 'ExpirationTime'));
  const createdBy = text(field(row, 'CreatedBy'));
  const createdAt = instant(field(row, 'CreatedTime'));
  return {
    scope: text(field(row, 'Scope'))?.toLowerCase() === 'global' ? 'global' : 'server',
    itemType: text(field(row, 'ItemType')) ?? 'Unknown',
    healthSet,
    item: name,
    ...(target ? { targetResource: target } : {}),
    property,
    value: text(field(row, 'PropertyValue')) ?? '',
    ...(applyVersion ? { applyVersion } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(createdBy ? { createdBy } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
}

export function parseMonitoringOverrides(
  op: OperationOf<'get-monitoring-overrides'>,
  data: unknown,
  server: ServerInfo,
): MonitoringOverrides {
  const row = first(data, 'the monitoring overrides', server.name);
  const wanted = new Set(op.healthSets.map((h) => h.toLowerCase()));
  const overrides = asArray(field(row, 'Overrides'))
    .map((o) => overrideOf(o, server.name))
    .filter(
      (o): o is MonitoringOverride => o !== undefined && (wanted.size === 0 || wanted.has(o.healthSet.toLowerCase())),
    );
  return { server: server.name, overrides };
}

export function parseOverrideOutcome(
  op: OperationOf<'add-monitoring-override'>,
  data: unknown,
  server: ServerInfo,
): ActionOutcome {
  const row = first(data, 'the new override', server.name);
  const identity = text(field(row, 'Identity')) ?? `${op.healthSet}\\${op.item}`;
  const found = Number(field(row, 'Found') ?? 0);
  const until = instant(field(row, 'ExpirationTime'));
  // Add-ServerMonitoringOverride can return without error and leave nothing behind (a wrong identity case).
  if (!found)
    return {
      ok: false,
      detail: `no override for ${identity} on ${server.name} after Add-ServerMonitoringOverride`,
      say: say('overrideNotFound', { item: identity, server: server.name }),
    };
  const vars = { item: identity, server: server.name, minutes: op.durationMinutes };
  return {
    ok: true,
    detail: `${identity} switched off on ${server.name} for ${op.durationMinutes} min${until ? ` (until ${until})` : ''}`,
    say: until ? say('overrideAdded', { ...vars, until }) : say('overrideAddedNoEnd', vars),
  };
}
