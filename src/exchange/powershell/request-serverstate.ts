/** Values checks and script values of the server-state area's operations (see request.ts). */
import type { Operation } from '../../core/index.ts';
import { COMPOSED_KINDS, GatewayError, OVERRIDE_ITEM_TYPES } from '../../core/index.ts';

/** Health-set, monitor and target-resource names as Exchange writes them. */
const ITEM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Add-ServerMonitoringOverride takes up to a long time; the policy keeps ours far shorter. */
const MAX_OVERRIDE_MINUTES = 60 * 24 * 60;

function notAllowed(what: string, server: string): GatewayError {
  return new GatewayError('not-allowed', what, { server: server.slice(0, 80) });
}

export function checkServerStateValues(op: Operation, server: string): void {
  if ((COMPOSED_KINDS as readonly string[]).includes(op.kind))
    throw notAllowed(`${op.kind} is run by the engine step by step, never as one script`, server);
  if (op.kind === 'set-cluster-node' && op.action !== 'resume' && op.action !== 'suspend')
    throw notAllowed('the cluster node action must be resume or suspend', server);
  if (op.kind === 'get-monitoring-overrides') {
    if (!Array.isArray(op.healthSets)) throw notAllowed('healthSets must be a list', server);
    for (const h of op.healthSets)
      if (typeof h !== 'string' || !ITEM_NAME.test(h))
        throw notAllowed(`"${String(h).slice(0, 80)}" is not a health set name`, server);
  }
  if (op.kind === 'add-monitoring-override') {
    const names = [op.healthSet, op.item, ...(op.targetResource !== undefined ? [op.targetResource] : [])];
    for (const n of names)
      if (typeof n !== 'string' || !ITEM_NAME.test(n))
        throw notAllowed(`"${String(n).slice(0, 80)}" is not a health set, item or target name`, server);
    if (!(OVERRIDE_ITEM_TYPES as readonly string[]).includes(op.itemType))
      throw notAllowed('the item type must be Probe, Monitor or Responder', server);
    if (!Number.isInteger(op.durationMinutes) || op.durationMinutes < 1 || op.durationMinutes > MAX_OVERRIDE_MINUTES)
      throw notAllowed('the override duration must be a whole number of minutes, at least 1', server);
  }
}

export function serverStateValues(op: Operation, base: { server: string; fqdn: string }): Record<string, unknown> {
  switch (op.kind) {
    case 'set-cluster-node':
      return { ...base, action: op.action };
    case 'get-monitoring-overrides':
      return { ...base, healthSets: op.healthSets };
    case 'add-monitoring-override':
      return {
        ...base,
        healthSet: op.healthSet,
        item: op.item,
        itemType: op.itemType,
        ...(op.targetResource ? { targetResource: op.targetResource } : {}),
        durationMinutes: op.durationMinutes,
      };
    default:
      return base;
  }
}
