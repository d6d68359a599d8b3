/**
 * Settling what a dead process (or a failed request) left behind, at start and then on an
 * interval in every running replica (`tick`), so nothing waits for some process to restart.
 *
 * - An `executing` approval is taken over only when its owner's lease ran out (a live replica
 *   renews it on every tick). Then it is `outcome-unknown` if an `action-started` record exists
 *   (something may have reached Exchange; never retried), else `not-started` (nothing did; the
 *   step is offered again).
 * - An `approved` approval that nobody started is executed, with its preconditions checked again;
 *   the approved → executing compare-and-set keeps it to one runner.
 * - An incident left in `checking` is diagnosed again: a diagnosis only reads.
 *
 * On a store only this process can use (the embedded database), whatever another owner left
 * belongs to a process that is gone, so nothing waits for a lease to run out.
 */
import { isExpired, leaseExpired, takeOverExecution } from '../approvals/lifecycle.ts';
import { expireIfDue } from './approval-flow.ts';
import type { Approval, Incident } from '../model/incident.ts';
import { showApproval } from './approval-card.ts';
import type { EngineContext } from './context.ts';
import { executeApproved } from './execute.ts';
import { changeIncident } from './incident-updates.ts';
import { operationLabel } from './labels.ts';
import { runDiagnosisFor } from './run-diagnosis.ts';
import { SYSTEM_ACTOR } from './system-actor.ts';
import { outcomeClock } from './outcome-clock.ts';
import { outcomeText } from './views/values.ts';

export interface RecoveryReport {
  /** Executions taken over after something may have reached Exchange. */
  readonly outcomeUnknown: number;
  /** Executions taken over before anything reached Exchange: offered again. */
  readonly notStarted: number;
  /** Approved steps started here that nobody had started. */
  readonly resumed: number;
  /** Diagnoses interrupted in `checking`, run again. */
  readonly rediagnosed: number;
  /** Pending approvals past their time, expired by the sweep (their timer was lost or late). */
  readonly expired: number;
}

/** How often a running replica sweeps (by the injected clock; `tick` checks it). */
export const SWEEP_INTERVAL_MS = 15_000;
/** An approved step not started this long after its deciding vote was left behind. */
export const RESUME_AFTER_MS = 30_000;
/** A diagnosis is seconds long; one still `checking` this long after its last change was interrupted. */
export const DIAGNOSIS_STALE_MS = 5 * 60_000;
/** Compared with any lease: on an exclusive store every lease of another owner is dead. */
const END_OF_TIME = new Date(8.64e15);

/** Whether an `action-started` record exists for the approval: then something may have reached Exchange. */
async function wasStarted(ctx: EngineContext, a: Approval): Promise<boolean> {
  const records = await ctx.store.readAudit({ incidentId: a.incidentId });
  return records.some((r) => r.type === 'action-started' && r.data.approvalId === a.id);
}

async function takeOver(ctx: EngineContext, a: Approval, ownerGone: boolean): Promise<Approval | undefined> {
  const now = ctx.clock.now();
  if (ctx.running.has(a.id) || (!ownerGone && !leaseExpired(a, now))) return undefined;
  const started = await wasStarted(ctx, a);
  const next = takeOverExecution(a, started, now, { ownerGone });
  if (!next) return undefined;
  if (!(await ctx.store.takeOverExecution(next, ownerGone ? END_OF_TIME : now))) {
    // Renewed, finished or taken over by someone else meanwhile: theirs to settle.
    ctx.observer.info?.('execution not taken over: it changed meanwhile', { approvalId: a.id });
    return undefined;
  }
  ctx.observer.approval?.(next.state);
  ctx.observer.info?.('took over an execution whose owner is gone', {
    approvalId: a.id,
    owner: a.execution?.owner ?? null,
    state: next.state,
  });
  await ctx.audit({
    type: 'action-finished',
    incidentId: a.incidentId,
    data: {
      approvalId: a.id,
      state: next.state,
      ran: started ? 'unknown' : false,
      reason: 'interrupted',
      owner: a.execution?.owner ?? null,
    },
  });
  const incident = await ctx.store.getIncident(a.incidentId);
  if (incident) {
    const label = operationLabel(ctx.tFor(incident), a.operation);
    const updated = await changeIncident(ctx, incident.id, (i) => ({
      ...i,
      lastEvent: {
        key: `approval.${next.state}Event`,
        vars: {
          label,
          detail: next.outcome ? outcomeText(ctx.tFor(incident), next.outcome, outcomeClock(ctx, incident)) : '',
        },
      },
    }));
    await showApproval(ctx, next, updated);
  }
  return next;
}

async function rediagnose(ctx: EngineContext, incident: Incident): Promise<boolean> {
  // One process reruns it: the compare-and-set on the incident is the claim.
  const claimed: Incident = {
    ...incident,
    lastEvent: { key: 'diag.resumed', vars: {} },
    version: incident.version + 1,
    updatedAt: ctx.clock.now().toISOString(),
  };
  if (!(await ctx.store.updateIncident(claimed))) return false;
  await runDiagnosisFor(ctx, claimed, SYSTEM_ACTOR);
  return true;
}

/** One pass over what may have been left behind. Errors in one item do not stop the others. */
export async function sweep(ctx: EngineContext, options: { atStart?: boolean } = {}): Promise<RecoveryReport> {
  const ownerGone = ctx.store.exclusive === true;
  let outcomeUnknown = 0;
  let notStarted = 0;
  let resumed = 0;
  let rediagnosed = 0;
  let expired = 0;
  const guarded = async (where: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (err) {
      ctx.observer.error?.(where, err);
    }
  };

  for (const a of await ctx.store.listApprovals({ states: ['executing'] })) {
    await guarded('sweep-execution', async () => {
      const next = await takeOver(ctx, a, ownerGone);
      if (next?.state === 'outcome-unknown') outcomeUnknown++;
      if (next?.state === 'not-started') notStarted++;
    });
  }

  const now = ctx.clock.now().getTime();
  for (const a of await ctx.store.listApprovals({ states: ['approved'] })) {
    const decidedAt = new Date(a.approvals.at(-1)?.at ?? a.requestedAt).getTime();
    if (!options.atStart && !ownerGone && now - decidedAt < RESUME_AFTER_MS) continue;
    if (ctx.running.has(a.id)) continue;
    await guarded('sweep-approved', async () => {
      const after = await executeApproved(ctx, a);
      if (after.state !== 'approved') resumed++;
    });
  }

  // Expiry does not depend on its timer alone: a pending approval past its time is expired here too.
  for (const a of await ctx.store.listApprovals({ states: ['pending'] })) {
    if (!isExpired(a, ctx.clock.now())) continue;
    await guarded('sweep-expiry', async () => {
      if ((await expireIfDue(ctx, a)).state === 'expired') expired++;
    });
  }

  for (const incident of await ctx.store.listIncidentsByStatus(['checking'], 100)) {
    if (ctx.diagnosing.has(incident.id)) continue;
    if (!ownerGone && now - new Date(incident.updatedAt).getTime() < DIAGNOSIS_STALE_MS) continue;
    await guarded('sweep-diagnosis', async () => {
      if (await rediagnose(ctx, incident)) rediagnosed++;
    });
  }
  ctx.sweep.lastAt = now;
  return { outcomeUnknown, notStarted, resumed, rediagnosed, expired };
}

/** At start: everything that can be settled now is. */
export function recoverInterrupted(ctx: EngineContext): Promise<RecoveryReport> {
  return sweep(ctx, { atStart: true });
}

/** Keeps this process's executions owned: renews their leases; says when one was lost. */
export async function renewLeases(ctx: EngineContext): Promise<void> {
  const until = new Date(ctx.clock.now().getTime() + ctx.executionLeaseMs).toISOString();
  for (const id of ctx.running) {
    try {
      if (!(await ctx.store.renewExecutionLease(id, ctx.instanceId, until)) && ctx.running.has(id)) {
        ctx.observer.info?.('execution lease not renewed: it is no longer executing here', { approvalId: id });
      }
    } catch (err) {
      ctx.observer.error?.('lease', err);
    }
  }
}

/** Sweeps when the interval has passed since the last sweep (by the injected clock). */
export async function sweepIfDue(ctx: EngineContext): Promise<RecoveryReport | undefined> {
  const now = ctx.clock.now().getTime();
  if (ctx.sweep.lastAt !== undefined && now - ctx.sweep.lastAt < SWEEP_INTERVAL_MS) return undefined;
  return sweep(ctx);
}
