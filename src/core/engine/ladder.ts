/**
 * Walking a recovery ladder: which step comes next for this server, and what operation a step
 * runs once its target is known. Pure functions; the engine stores the position in the incident.
 */
import type { ServerInfo } from '../model/exchange.ts';
import type { Operation } from '../model/operations.ts';
import { canonicalAppPool, canonicalService } from '../model/operations.ts';
import type { MonitorDef, ProbeDef, Step } from '../model/runbook.ts';

export interface LadderContext {
  /** The server the question was about. */
  readonly server: ServerInfo;
  /** The back-end server named by the failing probe, when there is one. */
  readonly backend?: ServerInfo;
  readonly monitor: MonitorDef;
  readonly probe?: ProbeDef;
  /** The monitor's TargetResource from Get-ServerHealth, when it has one: it picks the probe instance. */
  readonly targetResource?: string;
  /** The organisation's other servers, for steps that hand work to another one (redirect messages). */
  readonly peers?: readonly ServerInfo[];
  /** The back end the probe named reports unhealthy monitors: gated steps wait for it. */
  readonly backendUnhealthy?: boolean;
}

export function targetServer(step: Step, ctx: LadderContext): ServerInfo | undefined {
  if (step.kind === 'check' || step.kind === 'action') return step.target === 'backend' ? ctx.backend : ctx.server;
  return ctx.server;
}

/** A step applies when its target is known and the target's roles satisfy its condition. */
export function applies(step: Step, ctx: LadderContext): boolean {
  const target = targetServer(step, ctx);
  if (!target) return false;
  if (step.when?.role && !target.roles.includes(step.when.role)) return false;
  if (step.when?.notRole && target.roles.includes(step.when.notRole)) return false;
  if (step.when?.inDag !== undefined && (target.dag !== null) !== step.when.inDag) return false;
  if (step.when?.backendHealthy && ctx.backendUnhealthy) return false;
  return true;
}

/**
 * The steps walked here, in ladder order, each with its index in the runbook's ladder. A step
 * offered after another (`offerAfter`) is not walked: it is offered on its own once that one ran.
 */
export function applicableSteps(ctx: LadderContext): { step: Step; index: number }[] {
  return ctx.monitor.ladder
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => !(step.kind === 'action' && step.offerAfter) && applies(step, ctx));
}

/** The first applicable step at or after `position`. */
export function nextStep(ctx: LadderContext, position: number): { step: Step; index: number } | undefined {
  return applicableSteps(ctx).find(({ index }) => index >= position);
}

/** The operation a probe, check or action step runs, fully resolved; undefined for the others. */
export function operationOf(step: Step, ctx: LadderContext): Operation | undefined {
  const target = targetServer(step, ctx);
  if (!target) return undefined;
  const server = target.name;
  if (step.kind === 'probe') {
    return ctx.probe
      ? {
          kind: 'invoke-probe',
          server,
          healthSet: ctx.probe.healthSet,
          probe: ctx.probe.name,
          ...(ctx.targetResource ? { targetResource: ctx.targetResource } : {}),
        }
      : { kind: 'get-server-health', server, healthSets: [ctx.monitor.healthSet] };
  }
  if (step.kind !== 'check' && step.kind !== 'action') return undefined;
  const p = step.params ?? {};
  const service = p.service ? canonicalService(p.service) : undefined;
  const appPool = p.appPool ? canonicalAppPool(p.appPool) : undefined;
  switch (step.operation) {
    case 'get-server-health':
      return { kind: 'get-server-health', server, healthSets: p.healthSets ?? [ctx.monitor.healthSet] };
    case 'invoke-probe':
      return ctx.probe
        ? {
            kind: 'invoke-probe',
            server,
            healthSet: ctx.probe.healthSet,
            probe: ctx.probe.name,
            ...(ctx.targetResource ? { targetResource: ctx.targetResource } : {}),
          }
        : undefined;
    case 'get-service':
      return service ? { kind: 'get-service', server, service } : undefined;
    case 'restart-service':
      return service ? { kind: 'restart-service', server, service } : undefined;
    case 'get-app-pool':
      return appPool ? { kind: 'get-app-pool', server, appPool } : undefined;
    case 'recycle-app-pool':
      return appPool ? { kind: 'recycle-app-pool', server, appPool } : undefined;
    case 'iis-reset':
      return { kind: 'iis-reset', server };
    case 'restart-server':
      return { kind: 'restart-server', server };
    case 'set-database-activation':
      return p.mode ? { kind: 'set-database-activation', server, mode: p.mode } : undefined;
    case 'get-database-copy-status':
      return { kind: 'get-database-copy-status', server };
    case 'get-protocol-logging':
      return p.protocol ? { kind: 'get-protocol-logging', server, protocol: p.protocol } : undefined;
    case 'set-protocol-logging':
      return p.protocol && p.enabled !== undefined
        ? { kind: 'set-protocol-logging', server, protocol: p.protocol, enabled: p.enabled }
        : undefined;
    case 'get-restart-readiness':
      return { kind: 'get-restart-readiness', server };
    case 'get-monitoring-mailboxes':
      return { kind: 'get-monitoring-mailboxes', server };
    case 'get-directory-servers':
      return { kind: 'get-directory-servers', server };
    case 'get-queue':
    case 'test-service-health':
    case 'test-replication-health':
    case 'get-dag-status':
    case 'get-website':
      return { kind: step.operation, server };
    case 'redirect-messages': {
      // Another Mailbox server, from the inventory: the same DAG first, then any.
      const others = (ctx.peers ?? []).filter((s) => s.name !== server && s.roles.includes('Mailbox'));
      const peer = others.find((s) => target.dag && s.dag === target.dag) ?? others[0];
      return peer ? { kind: 'redirect-messages', server, target: peer.fqdn } : undefined;
    }
    case 'get-server-state':
      return { kind: 'get-server-state', server };
    case 'rebalance-databases':
      return { kind: 'rebalance-databases', server };
    case 'set-server-component-state':
      return p.component && p.state && p.requester
        ? { kind: 'set-server-component-state', server, component: p.component, state: p.state, requester: p.requester }
        : undefined;
  }
}
