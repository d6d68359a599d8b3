/**
 * Durable timers fire here: approval expiry, and the re-check after a `wait` step. The store hands
 * each due timer to exactly one caller, so several instances can tick at once.
 */
import type { Timer } from '../model/incident.ts';
import { expireIfDue } from './approval-flow.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { runDiagnosisFor } from './run-diagnosis.ts';
import { SYSTEM_ACTOR } from './system-actor.ts';

async function fire(ctx: EngineContext, timer: Timer): Promise<void> {
  const p = timer.payload;
  if (p.type === 'approval-expiry' && typeof p.approvalId === 'string') {
    const approval = await ctx.store.getApproval(p.approvalId);
    if (approval) await expireIfDue(ctx, approval);
    return;
  }
  if (p.type === 'wait' && typeof p.monitor === 'string' && typeof p.stepId === 'string') {
    const incident = await ctx.store.getIncident(timer.incidentId);
    if (!incident?.ladder?.waitingUntil) return;
    const minutes = typeof p.minutes === 'number' ? p.minutes : 0;
    const monitor = p.monitor;
    const stepId = p.stepId;
    const waiting = await changeIncident(ctx, incident.id, (i) => {
      const def = ctx.catalogue.monitor(i.findings.find((f) => f.monitor === monitor)?.healthSet ?? '', monitor);
      const index = def?.monitor.ladder.findIndex((s) => s.id === stepId) ?? -1;
      return { ...i, ladder: { monitor, position: index + 1 } };
    });
    const after = await runDiagnosisFor(ctx, waiting, SYSTEM_ACTOR);
    const stillFailing = after.findings.some((f) => f.monitor === monitor && f.verdict !== 'transient');
    await changeIncident(ctx, incident.id, (i) => ({
      ...i,
      ...(stillFailing ? {} : { status: i.status === 'confirmed' ? i.status : 'resolved' }),
      lastEvent: { key: stillFailing ? 'wait.stillUnhealthy' : 'wait.stayedHealthy', vars: { minutes, monitor } },
    }));
  }
}

/** Fires every timer due now; returns how many fired. Errors in one timer do not stop the others. */
export async function fireDueTimers(ctx: EngineContext, limit = 50): Promise<number> {
  const due = await ctx.store.claimDueTimers(ctx.clock.now(), limit);
  for (const timer of due) {
    try {
      await fire(ctx, timer);
    } catch (err) {
      ctx.observer.error?.('timer', err);
    }
  }
  return due.length;
}
