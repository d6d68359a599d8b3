/**
 * After a restart (or a crash): nothing that was executing is run again, because we cannot know
 * whether it ran; it becomes outcome-unknown and is reported. Approvals that were complete but had
 * not started are executed now, with their preconditions checked again as always.
 */
import { finishExecution } from '../approvals/lifecycle.ts';
import type { ExecutionTicket } from '../approvals/lifecycle.ts';
import { showApproval } from './approval-card.ts';
import type { EngineContext } from './context.ts';
import { executeApproved } from './execute.ts';
import { changeIncident } from './incident-updates.ts';
import { operationLabel } from './labels.ts';

export interface RecoveryReport {
  readonly outcomeUnknown: number;
  readonly resumed: number;
}

export async function recoverInterrupted(ctx: EngineContext): Promise<RecoveryReport> {
  let outcomeUnknown = 0;
  let resumed = 0;
  for (const a of await ctx.store.listApprovals({ states: ['executing'] })) {
    // finishExecution only accepts a ticket; this one is rebuilt from a stored `executing` state,
    // which only a ticket holder could have written.
    const done = finishExecution(
      { approval: a } as ExecutionTicket,
      { ok: false, detail: 'the bot stopped while this was running; check the server before trying again' },
      'outcome-unknown',
      ctx.clock.now(),
    );
    if (!(await ctx.store.updateApproval(done))) continue;
    outcomeUnknown++;
    ctx.observer.approval?.('outcome-unknown');
    await ctx.audit({ type: 'action-finished', incidentId: a.incidentId, data: { approvalId: a.id, state: 'outcome-unknown', ran: 'unknown', reason: 'interrupted' } });
    const incident = await ctx.store.getIncident(a.incidentId);
    if (incident) {
      const label = operationLabel(ctx.t(incident.locale === 'de' ? 'de' : 'en'), a.operation);
      const updated = await changeIncident(ctx, incident.id, (i) => ({
        ...i,
        lastEvent: { key: 'approval.outcome-unknownEvent', vars: { label, detail: done.outcome?.detail ?? '' } },
      }));
      await showApproval(ctx, done, updated);
    }
  }
  for (const a of await ctx.store.listApprovals({ states: ['approved'] })) {
    await executeApproved(ctx, a);
    resumed++;
  }
  return { outcomeUnknown, resumed };
}
