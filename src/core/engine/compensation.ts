/**
 * Leave it as you found it. A runbook step may put back what an earlier step changed (`undoes`):
 * allow activation again, switch logging off, set a component Active again. Once the earlier step
 * has run, the compensation is owed on every exit of the incident (resolved, escalated, abandoned,
 * a request that expired or was cancelled) until it runs or a person dismisses it on the record.
 */
import type { Approval, Incident, OwedStep } from '../model/incident.ts';
import type { ActivationOutcome, ServerInfo } from '../model/exchange.ts';
import type { Operation } from '../model/operations.ts';
import type { ActionStep, MonitorDef } from '../model/runbook.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { activationFoundOn, keepActivationFound } from './activation-found.ts';
import { backendLadderContext } from './backend-ladder.ts';
import { operationLabel } from './labels.ts';
import type { LadderContext } from './ladder.ts';
import { operationOf } from './ladder.ts';
import { findServer } from './servers.ts';
import { SYSTEM_ACTOR } from './system-actor.ts';

/** The step of `monitor`'s ladder that puts back `stepId`, if the runbook has one. */
export function compensationFor(monitor: MonitorDef, stepId: string): ActionStep | undefined {
  return monitor.ladder.find((s): s is ActionStep => s.kind === 'action' && s.undoes === stepId);
}

export function owedStep(incident: Pick<Incident, 'owed'>, monitor: string, stepId: string): OwedStep | undefined {
  return incident.owed?.find((o) => o.monitor === monitor && o.stepId === stepId);
}

/** The ladder context of `monitor` on this incident (server, and the back end its probe named). */
export function ladderForMonitor(
  ctx: Pick<EngineContext, 'catalogue'>,
  incident: Incident,
  monitorName: string,
  servers: readonly ServerInfo[],
): LadderContext | undefined {
  if (incident.ladder?.server && incident.ladder.monitor === monitorName)
    return backendLadderContext(ctx, incident, servers);
  const finding = incident.findings.find((f) => f.monitor === monitorName);
  const healthSet = finding?.healthSet ?? incident.healthSet ?? '';
  const known = ctx.catalogue.monitor(healthSet, monitorName);
  const server = findServer(servers, incident.server);
  if (!known || !server) return undefined;
  const probe = ctx.catalogue.probe(known.runbook, known.monitor);
  const backend = finding?.backend ? findServer(servers, finding.backend.server) : undefined;
  const backendUnhealthy = (finding?.backend?.unhealthy.length ?? 0) > 0;
  return {
    server,
    monitor: known.monitor,
    peers: servers,
    ...(probe ? { probe } : {}),
    ...(finding?.targetResource ? { targetResource: finding?.targetResource } : {}),
    ...(backend ? { backend } : {}),
    ...(backendUnhealthy ? { backendUnhealthy } : {}),
  };
}

export interface CompensationRecord {
  readonly incident: Incident;
  /** The approval ran an owed compensation (now settled). */
  readonly compensated: boolean;
}

/**
 * After an approved step succeeded: a step with a compensation makes it owed; an owed
 * compensation that ran is settled. Both are audited; the incident is updated once.
 */
export async function recordCompensation(
  ctx: EngineContext,
  incidentId: string,
  done: Approval,
  ladder: LadderContext | undefined,
  outcome?: ActivationOutcome,
): Promise<CompensationRecord> {
  const current = await ctx.store.getIncident(incidentId);
  if (!current) return { incident: current as unknown as Incident, compensated: false };
  const settled = owedStep(current, done.monitor, done.stepId);
  const step = ladder ? compensationFor(ladder.monitor, done.stepId) : undefined;
  const resolved = step && ladder ? operationOf(step, ladder) : undefined;
  // What the server had before this incident first blocked it, not what a retried move-now found.
  const kept = keepActivationFound(current, done.operation, outcome, ctx.clock.now());
  const operation = resolved ? rememberFrom(resolved, kept) : resolved;
  const alreadyOwed = step ? owedStep(current, done.monitor, step.id) : undefined;
  const added: OwedStep | undefined =
    step && operation && !alreadyOwed
      ? { monitor: done.monitor, stepId: step.id, undoes: done.stepId, operation, since: ctx.clock.now().toISOString() }
      : undefined;
  if (!settled && !added) {
    if (kept === current) return { incident: current, compensated: false };
    return {
      incident: await changeIncident(ctx, incidentId, (i) =>
        keepActivationFound(i, done.operation, outcome, ctx.clock.now()),
      ),
      compensated: false,
    };
  }
  if (added) {
    await ctx.audit({
      type: 'compensation-owed',
      incidentId,
      actor: SYSTEM_ACTOR,
      data: { monitor: added.monitor, stepId: added.stepId, undoes: added.undoes, operation: added.operation },
    });
  }
  const t = ctx.tFor(current);
  const updated = await changeIncident(ctx, incidentId, (i) => ({
    ...keepActivationFound(i, done.operation, outcome, ctx.clock.now()),
    owed: [
      ...(i.owed ?? []).filter((o) => !(settled && o.monitor === settled.monitor && o.stepId === settled.stepId)),
      ...(added ? [added] : []),
    ],
    ...(settled && i.status !== 'confirmed'
      ? {
          lastEvent: {
            key: 'owed.settledEvent',
            vars: {
              who: done.approvals.map((v) => v.actor.displayName).join(', '),
              label: operationLabel(t, settled.operation),
            },
          },
        }
      : {}),
  }));
  return { incident: updated, compensated: settled !== undefined };
}

/**
 * The put-back with what the incident found first, so it restores that value rather than a fixed
 * one: allowing activation again restores the DatabaseCopyAutoActivationPolicy the server had
 * before the first move-now of this incident (or of an earlier one that still owes it).
 */
function rememberFrom(operation: Operation, incident: Incident): Operation {
  if (operation.kind === 'set-database-activation' && operation.mode === 'allow') {
    const found = activationFoundOn(incident, operation.server);
    if (found) return { ...operation, restorePolicy: found.policy };
  }
  return operation;
}
