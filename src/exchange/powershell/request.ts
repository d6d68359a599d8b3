/**
 * From an operation of the catalogue to what its fixed script receives. Checks what can be
 * refused from the values alone (allow-lists, name syntax, closed sets), so a bad value never
 * reaches a shell; then builds the values from the inventory's server and canonical names only.
 */
import type { Operation, ServerInfo } from '../../core/index.ts';
import { checkServerStateValues, serverStateValues } from './request-serverstate.ts';
import { checkEvidenceValues, evidenceValues } from './request-evidence.ts';
import {
  COMPONENT_REQUESTERS,
  GatewayError,
  OPERATION_KINDS,
  canonicalAppPool,
  canonicalService,
  isActivationPolicy,
  isComponentName,
} from '../../core/index.ts';

/** Health-set and probe names as Exchange writes them (IMAP.Protocol, ImapCTPProbe). */
const ITEM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function notAllowed(what: string, server: string): GatewayError {
  return new GatewayError('not-allowed', what, { server: server.slice(0, 80) });
}

/** Everything that can be refused from the values alone. Operations may come from stored JSON, so types are checked too. */
export function checkValues(op: Operation): void {
  const server = String(op.server);
  if (!OPERATION_KINDS.includes(op.kind))
    throw notAllowed(`${String(op.kind).slice(0, 80)} is not an operation of the catalogue`, server);
  checkServerStateValues(op, server);
  if (
    (op.kind === 'get-server-health' || op.kind === 'get-monitoring-items') &&
    op.healthSets !== undefined &&
    !Array.isArray(op.healthSets)
  )
    throw notAllowed('healthSets must be a list', server);
  if ('service' in op && !canonicalService(String(op.service)))
    throw notAllowed(`service ${String(op.service).slice(0, 80)} is not on the allow-list`, server);
  if ('appPool' in op && !canonicalAppPool(String(op.appPool)))
    throw notAllowed(`app pool ${String(op.appPool).slice(0, 80)} is not on the allow-list`, server);
  const names =
    op.kind === 'invoke-probe'
      ? [op.healthSet, op.probe, ...(op.targetResource !== undefined ? [op.targetResource] : [])]
      : op.kind === 'get-server-health' || op.kind === 'get-monitoring-items'
        ? (op.healthSets ?? [])
        : [];
  for (const name of names)
    if (typeof name !== 'string' || !ITEM_NAME.test(name))
      throw notAllowed(`"${String(name).slice(0, 80)}" is not a health set or probe name`, server);
  if ('protocol' in op && op.protocol !== 'imap' && op.protocol !== 'pop')
    throw notAllowed('the protocol must be imap or pop', server);
  if (op.kind === 'set-protocol-logging' && typeof op.enabled !== 'boolean')
    throw notAllowed('enabled must be true or false', server);
  if (op.kind === 'set-database-activation' && op.mode !== 'move-now' && op.mode !== 'allow')
    throw notAllowed('the activation mode must be move-now or allow', server);
  if (
    op.kind === 'set-database-activation' &&
    op.restorePolicy !== undefined &&
    (op.mode !== 'allow' || !isActivationPolicy(op.restorePolicy))
  ) {
    throw notAllowed(
      'the policy to restore must be Unrestricted, IntrasiteOnly or Blocked, and only when allowing activation',
      server,
    );
  }
  if (op.kind === 'redirect-messages' && !/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(String(op.target)))
    throw notAllowed('the redirect target must be a server name', server);
  if (op.kind === 'set-server-component-state') {
    if (!isComponentName(String(op.component)))
      throw notAllowed(`component ${String(op.component).slice(0, 80)} is not on the allow-list`, server);
    if (!['Active', 'Inactive', 'Draining'].includes(op.state))
      throw notAllowed('the component state must be Active, Inactive or Draining', server);
    if (!(COMPONENT_REQUESTERS as readonly string[]).includes(op.requester))
      throw notAllowed('the requester must be one Set-ServerComponentState documents', server);
  }
  checkEvidenceValues(op);
}

/** The operation with service and app-pool names in their canonical spelling (IIS names vary in case). */
export function canonical(op: Operation): Operation {
  if ('service' in op) return { ...op, service: canonicalService(op.service) ?? op.service };
  if ('appPool' in op) return { ...op, appPool: canonicalAppPool(op.appPool) ?? op.appPool };
  return op;
}

/** The values a script receives: the inventory's spelling of the server, canonical names, nothing else. */
export function valuesFor(op: Operation, server: ServerInfo, timeoutMs: number): Record<string, unknown> {
  const base = { server: server.name, fqdn: server.fqdn };
  const evidence = evidenceValues(op, base);
  if (evidence) return evidence;
  switch (op.kind) {
    case 'get-server-health':
    case 'get-monitoring-items':
      return { ...base, healthSets: op.healthSets ?? [] };
    case 'invoke-probe':
      return {
        ...base,
        healthSet: op.healthSet,
        probe: op.probe,
        ...(op.targetResource ? { targetResource: op.targetResource } : {}),
        // Exchange's probe timeout, a few seconds under ours, so a slow probe comes back as a result.
        timeoutSeconds: Math.max(1, Math.floor(timeoutMs / 1000) - 5),
      };
    case 'get-service':
      return { ...base, service: op.service };
    case 'restart-service':
      // Time to wait for the stop, leaving the rest of the deadline for the start and the answer.
      return {
        ...base,
        service: op.service,
        stopWaitSeconds: Math.max(5, Math.min(120, Math.floor(timeoutMs / 2000))),
      };
    case 'get-app-pool':
    case 'recycle-app-pool':
      return { ...base, appPool: op.appPool };
    case 'set-database-activation':
      // Leave time for the answer to come back before the deadline.
      return {
        ...base,
        mode: op.mode,
        ...(op.restorePolicy ? { restorePolicy: op.restorePolicy } : {}),
        waitSeconds: Math.max(0, Math.min(120, Math.floor((timeoutMs - 10_000) / 1000))),
      };
    case 'get-protocol-logging':
      return { ...base, protocol: op.protocol };
    case 'set-protocol-logging':
      return { ...base, protocol: op.protocol, enabled: op.enabled };
    case 'set-server-component-state':
      return { ...base, component: op.component, state: op.state, requester: op.requester };
    case 'redirect-messages':
      return { ...base, target: op.target };
    case 'get-server-state':
      // Activation settings exist only on Mailbox servers; asking a CAS would fail.
      return { ...base, mailbox: server.roles.includes('Mailbox') };
    case 'set-cluster-node':
    case 'get-monitoring-overrides':
    case 'add-monitoring-override':
      return serverStateValues(op, base);
    default:
      return base;
  }
}
