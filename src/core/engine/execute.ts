/**
 * Running an approved operation, exactly once. The approval moves approved → executing by
 * compare-and-set; only the winner holds an ExecutionTicket and only a ticket can run anything.
 * Preconditions are checked again here, at the last moment, because the world may have changed
 * since the request: the monitor may have recovered, databases may still be mounted.
 */
import { HealthbotError, GatewayError, userMessage } from '../errors.ts';
import { finishExecution, startExecution } from '../approvals/lifecycle.ts';
import type { ExecutionTicket } from '../approvals/lifecycle.ts';
import { operationDigest } from '../approvals/digest.ts';
import { isStateChanging } from '../model/operations.ts';
import type { Approval, Incident } from '../model/incident.ts';
import type { ActionOutcome } from '../model/exchange.ts';
import { showApproval } from './approval-card.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { operationLabel } from './labels.ts';
import { runDiagnosisFor } from './run-diagnosis.ts';
import { SYSTEM_ACTOR } from './system-actor.ts';
import { ladderForMonitor, recordCompensation } from './compensation.ts';
import { repairsServerState } from './held-components.ts';
import type { Blocked } from './restart-preconditions.ts';
import { restartBlocker } from './restart-preconditions.ts';
import { beginRebootWatch } from './reboot-watch.ts';
import { keepActivationFound } from './activation-found.ts';
import { offeredFollowUp, recordFollowUp } from './follow-ups.ts';
import { gatedFinding } from './backend-ladder.ts';
import { leaveOwnEndpoint } from './own-endpoint.ts';
import { runExitMaintenance } from './exit-maintenance.ts';
import { scheduleOverrideEnd } from './override-step.ts';
import { outcomeClock } from './outcome-clock.ts';
import { outcomeText } from './views/values.ts';

/** Checks what must still hold right before the operation runs; a reason when it does not. */
async function blockedBy(
  ctx: EngineContext,
  ticket: ExecutionTicket,
  incident: Incident,
): Promise<Blocked | undefined> {
  const { approval } = ticket;
  const op = approval.operation;
  if ((await operationDigest(op)) !== approval.digest) return { key: 'precondition.digest', vars: {} };

  const finding = incident.findings.find((f) => f.monitor === approval.monitor);
  // On the back end's ladder (the gate switched to it), its monitor is read on the back end.
  const gated =
    incident.ladder?.server && incident.ladder.monitor === approval.monitor
      ? gatedFinding(incident)?.backend?.unhealthy.find((m) => m.monitor === approval.monitor)
      : undefined;
  const judged = gated
    ? { server: incident.ladder!.server!, healthSet: gated.healthSet }
    : finding
      ? { server: incident.server, healthSet: finding.healthSet }
      : undefined;
  // Putting the server back (an owed compensation, a held component) is not blocked by a healthy monitor.
  // Nor is an optional follow-up (moving copies back after the monitor recovered is the point of it).
  if (judged && !repairsServerState(incident, approval) && !offeredFollowUp(incident, approval)) {
    const rows = await ctx.gateway.run({
      kind: 'get-server-health',
      server: judged.server,
      healthSets: [judged.healthSet],
    });
    const mine = rows.filter((r) => r.monitor.toLowerCase() === approval.monitor.toLowerCase());
    if (mine.length > 0 && mine.every((r) => r.alertValue === 'Healthy')) {
      return { key: 'precondition.monitorHealthy', vars: { monitor: approval.monitor, server: judged.server } };
    }
  }

  const restart = op.kind === 'restart-server' ? await restartBlocker(ctx, op.server) : undefined;
  if (restart) return restart;
  // Last, once nothing else stops it: the bot's own endpoint on that server is left first.
  return leaveOwnEndpoint(ctx, incident.id, op);
}

async function runTicket(
  ctx: EngineContext,
  ticket: ExecutionTicket,
): Promise<{ state: 'succeeded' | 'failed' | 'outcome-unknown'; outcome: ActionOutcome }> {
  const op = ticket.approval.operation;
  if (!isStateChanging(op))
    return { state: 'failed', outcome: { ok: false, detail: `not run: ${op.kind} is read-only` } };
  if (op.kind === 'exit-maintenance') return runExitMaintenance(ctx, op);
  try {
    const outcome: ActionOutcome = await ctx.gateway.run(op, { timeoutMs: ctx.actionTimeoutMs });
    return { state: outcome.ok ? 'succeeded' : 'failed', outcome };
  } catch (err) {
    ctx.observer.error?.('execute', err);
    // A timeout or a dead shell leaves us not knowing whether the operation ran: say so, never retry.
    const unknown = err instanceof GatewayError && (err.code === 'timeout' || err.code === 'crashed');
    const detail = err instanceof HealthbotError ? `${err.code}: ${err.message}` : String(err);
    // For a person, the error's own message (`errors.timeout`), naming the server; the detail stays for the logs.
    const message = userMessage(err, { server: op.server });
    return {
      state: unknown ? 'outcome-unknown' : 'failed',
      outcome: { ok: false, detail, say: { code: message.key, vars: message.vars } },
    };
  }
}

async function finish(
  ctx: EngineContext,
  ticket: ExecutionTicket,
  state: 'succeeded' | 'failed' | 'outcome-unknown',
  outcome: ActionOutcome,
): Promise<Approval> {
  const done = finishExecution(ticket, outcome, state, ctx.clock.now());
  if (await ctx.store.updateApproval(done)) {
    ctx.observer.approval?.(state);
    return done;
  }
  // Only the lease holder writes an executing approval, so losing here means our lease ran out
  // (this process stalled past it) and another took the execution over. The real outcome is
  // known here: record it and say so, rather than dropping it.
  const current = (await ctx.store.getApproval(done.id)) ?? done;
  const lost = new HealthbotError(
    'conflict',
    `approval ${done.id} was taken over (now ${current.state}) while it ran; it ended ${state}`,
  );
  ctx.observer.error?.('lease-lost', lost);
  return current;
}

const START_ATTEMPTS = 8;

/**
 * approved → executing by compare-and-set. A lost race is never dropped: the approval is read
 * again, and while it is still `approved` (someone changed it without deciding anything) the step
 * is tried again with the fresh version. It gives up only when the approval left `approved`
 * (another instance runs it, or ran it), and says so.
 */
async function claimExecution(
  ctx: EngineContext,
  approved: Approval,
): Promise<{ ticket?: ExecutionTicket; current: Approval }> {
  let current = approved;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const now = ctx.clock.now();
    const ticket = startExecution(current, {
      owner: ctx.instanceId,
      startedAt: now.toISOString(),
      leaseUntil: new Date(now.getTime() + ctx.executionLeaseMs).toISOString(),
    });
    if (!ticket) {
      ctx.observer.info?.('approval is not run here: it is no longer approved', {
        approvalId: current.id,
        state: current.state,
      });
      return { current };
    }
    // Marked as ours before the compare-and-set, so a sweep in this process never mistakes the
    // execution for an orphan in the moment between winning and starting.
    ctx.running.add(current.id);
    if (await ctx.store.updateApproval(ticket.approval)) return { ticket, current };
    ctx.running.delete(current.id);
    const fresh = await ctx.store.getApproval(approved.id);
    if (!fresh) throw new HealthbotError('internal', `approval ${approved.id} is missing`);
    current = fresh;
  }
  throw new HealthbotError(
    'conflict',
    `approval ${approved.id} kept changing; it stays approved and the next sweep runs it`,
  );
}

export async function executeApproved(ctx: EngineContext, approvedAsRead: Approval): Promise<Approval> {
  const { ticket, current } = await claimExecution(ctx, approvedAsRead);
  if (!ticket) return current;
  // While it is in `running`, every tick renews the lease; once it leaves (done, or a failure
  // thrown half-way), the lease runs out and a sweep settles what is left.
  try {
    return await runClaimed(ctx, ticket, current);
  } finally {
    ctx.running.delete(current.id);
  }
}

async function runClaimed(ctx: EngineContext, ticket: ExecutionTicket, approved: Approval): Promise<Approval> {
  ctx.observer.approval?.('executing');
  const incident = await ctx.store.getIncident(approved.incidentId);
  if (!incident) throw new HealthbotError('internal', `incident ${approved.incidentId} is missing`);
  const t = ctx.tFor(incident);
  const label = operationLabel(t, approved.operation);
  const approverNames = approved.approvals.map((v) => v.actor.displayName).join(', ');

  let blocked: Blocked | undefined;
  try {
    blocked = await blockedBy(ctx, ticket, incident);
  } catch (err) {
    ctx.observer.error?.('precondition', err);
    blocked = { key: 'precondition.unchecked', vars: { server: incident.server } };
  }
  if (!blocked) {
    try {
      await ctx.audit({
        type: 'action-started',
        incidentId: incident.id,
        actor: SYSTEM_ACTOR,
        data: {
          approvalId: approved.id,
          operation: approved.operation,
          digest: approved.digest,
          approvedBy: approverNames,
        },
      });
    } catch (err) {
      ctx.observer.error?.('audit', err);
      blocked = { key: 'precondition.auditUnavailable', vars: {} };
    }
  }
  if (blocked) {
    const done = await finish(ctx, ticket, 'failed', {
      ok: false,
      detail: `not run: ${blocked.key.replace('precondition.', '')}`,
      say: { code: blocked.key, vars: blocked.vars },
    });
    await ctx
      .audit({
        type: 'action-finished',
        incidentId: incident.id,
        data: {
          approvalId: done.id,
          state: 'failed',
          ran: false,
          reason: blocked.key,
          say: { key: blocked.key, vars: blocked.vars },
        },
      })
      .catch((err: unknown) => ctx.observer.error?.('audit', err));
    // The approval card first: the approving click was on it.
    await showApproval(ctx, done, incident);
    await changeIncident(ctx, incident.id, (i) => ({ ...i, lastEvent: { key: blocked.key, vars: blocked.vars } }));
    return done;
  }

  const result = await runTicket(ctx, ticket);
  const done = await finish(ctx, ticket, result.state, result.outcome);
  await ctx.audit({
    type: 'action-finished',
    incidentId: incident.id,
    data: {
      approvalId: done.id,
      // What really happened; when the lease was lost meanwhile, also what the approval says now.
      state: result.state,
      ...(done.state !== result.state ? { storedAs: done.state } : {}),
      ran: true,
      ok: result.outcome.ok,
      detail: result.outcome.detail.slice(0, 500),
      ...(result.outcome.say
        ? {
            say: { key: result.outcome.say.code, vars: result.outcome.say.vars },
            ...(result.outcome.say.quoted ? { quoted: result.outcome.say.quoted.slice(0, 500) } : {}),
            ...(result.outcome.say.then
              ? { then: result.outcome.say.then.map((s) => ({ key: s.code, vars: s.vars })) }
              : {}),
          }
        : {}),
    },
  });
  await showApproval(ctx, done, incident);

  if (done.state !== 'succeeded') {
    // A move-now that failed half-way may have blocked activation already: keep what it found.
    const updated = await changeIncident(ctx, incident.id, (i) => ({
      ...keepActivationFound(i, done.operation, result.outcome, ctx.clock.now()),
      lastEvent: {
        key: `approval.${done.state}Event`,
        vars: {
          label,
          detail: outcomeText(ctx.tFor(incident), result.outcome, outcomeClock(ctx, incident)).slice(0, 200),
        },
      },
    }));
    await showApproval(ctx, done, updated);
    return done;
  }
  // What this step owes (its compensation) or settles (it was one), whatever happens next.
  const ladderContext = ladderForMonitor(ctx, incident, done.monitor, await ctx.servers());
  const compensation = await recordCompensation(ctx, incident.id, done, ladderContext, result.outcome);
  // An optional follow-up that ran leaves the ladder where it was; one a step opened is offered.
  if (await recordFollowUp(ctx, incident.id, done, ladderContext)) return done;
  if (compensation.compensated && compensation.incident.status !== 'confirmed') return done;
  // Past this step on the ladder, then check again: resolved, or the next step.
  // On the back end's ladder (the gate switched to it), the Client Access monitor is what is judged again.
  const gated = incident.ladder?.monitor === done.monitor ? gatedFinding(incident) : undefined;
  const healthSet =
    gated?.healthSet ??
    incident.findings.find((f) => f.monitor === done.monitor)?.healthSet ??
    incident.healthSet ??
    '';
  const judged = gated?.monitor ?? done.monitor;
  const advanced = await changeIncident(ctx, incident.id, (i) => {
    const monitor = ladderContext?.monitor ?? ctx.catalogue.monitor(healthSet, done.monitor)?.monitor;
    const index = monitor?.ladder.findIndex((s) => s.id === done.stepId) ?? -1;
    const server = i.ladder?.server && i.ladder.monitor === done.monitor ? { server: i.ladder.server } : {};
    // A step outside the ladder (a held component's fix) leaves the ladder where it was.
    return {
      ...i,
      ladder: { monitor: done.monitor, position: index >= 0 ? index + 1 : (i.ladder?.position ?? 0), ...server },
    };
  });
  // An override quietens the monitor, it does not mend it: no probe verdict, and its end is timed.
  if (done.operation.kind === 'add-monitoring-override') {
    await scheduleOverrideEnd(ctx, advanced.id, done.operation);
    const noted = await changeIncident(ctx, advanced.id, (i) => ({
      ...i,
      lastEvent: {
        key: 'serverstate:overrideAdded',
        vars: {
          who: approverNames,
          label,
          detail: outcomeText(ctx.tFor(incident), result.outcome, outcomeClock(ctx, incident)).slice(0, 200),
        },
      },
    }));
    await runDiagnosisFor(ctx, noted, SYSTEM_ACTOR);
    return done;
  }
  // A restart only begins here: wait it out (durably) before judging anything on that server.
  if (done.operation.kind === 'restart-server') {
    await beginRebootWatch(ctx, advanced.id, done.operation.server, {
      approverNames,
      label,
      healthSet,
      monitor: judged,
    });
    return done;
  }
  await runDiagnosisFor(ctx, advanced, SYSTEM_ACTOR, {
    afterAction: { approverNames, label, healthSet, monitor: judged },
  });
  return done;
}
