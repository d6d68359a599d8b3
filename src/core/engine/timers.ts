/**
 * Durable timers fire here: approval expiry, and the re-check after a `wait` step. The store hands
 * each due timer to exactly one caller for a lease, so several instances can tick at once, and a
 * timer is removed only once it has fired: both kinds are safe to fire twice (an expiry checks the
 * approval is still pending; a re-check checks the incident is still waiting).
 */
import type { Timer } from '../model/incident.ts';
import { expireIfDue } from './approval-flow.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { runDiagnosisFor } from './run-diagnosis.ts';
import { SYSTEM_ACTOR } from './system-actor.ts';
import { checkReboot, isRebootTimer } from './reboot-watch.ts';
import { isOverrideTimer, overrideEnded } from './override-step.ts';

async function fire(ctx: EngineContext, timer: Timer): Promise<void> {
  const p = timer.payload;
  if (p.type === 'approval-expiry' && typeof p.approvalId === 'string') {
    const approval = await ctx.store.getApproval(p.approvalId);
    if (approval) await expireIfDue(ctx, approval);
    return;
  }
  if (isOverrideTimer(p)) {
    await overrideEnded(ctx, timer.incidentId, p);
    return;
  }
  if (isRebootTimer(p)) {
    await checkReboot(ctx, timer.incidentId);
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
    // A re-check that could not read the server proves nothing: it is neither "still healthy"
    // nor resolved, and the card already says what could not be read.
    if (after.status === 'failed') return;
    const stillFailing = after.findings.some((f) => f.monitor === monitor && f.verdict !== 'transient');
    await changeIncident(ctx, incident.id, (i) => ({
      ...i,
      ...(stillFailing ? {} : { status: i.status === 'confirmed' ? i.status : 'resolved' }),
      lastEvent: { key: stillFailing ? 'wait.stillUnhealthy' : 'wait.stayedHealthy', vars: { minutes, monitor } },
    }));
  }
}

/**
 * How long a claimed timer is ours. Firing one takes seconds (a diagnosis at most); if this
 * process dies meanwhile, another instance (or this one restarted) fires it after the lease.
 */
export const TIMER_LEASE_MS = 5 * 60_000;
/** A timer that keeps failing is given up after this many tries, with an error, not retried forever. */
const MAX_ATTEMPTS = 5;

/** Fires every timer due now; returns how many fired. Errors in one timer do not stop the others. */
export async function fireDueTimers(ctx: EngineContext, limit = 50): Promise<number> {
  const due = await ctx.store.claimDueTimers(ctx.clock.now(), limit, TIMER_LEASE_MS);
  for (const timer of due) {
    try {
      await fire(ctx, timer);
      await ctx.store.completeTimer(timer.id);
    } catch (err) {
      ctx.observer.error?.('timer', err);
      // Left in place it fires again after the lease; past the limit it is dropped for good.
      if ((timer.attempts ?? 1) >= MAX_ATTEMPTS)
        await ctx.store.completeTimer(timer.id).catch((e: unknown) => ctx.observer.error?.('timer', e));
    }
  }
  return due.length;
}
