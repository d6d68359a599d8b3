/**
 * Optional follow-ups: a runbook step marked `offerAfter: <step>` is not walked on the ladder. Once
 * its earlier step has run (from the ladder, or as an owed put-back on a resolved card), it is
 * offered as a decision of its own, with an approval like any action: after activation is allowed
 * again, moving the active copies back is such a decision. It is never owed; closing drops it.
 */
import type { ActionEvent } from '../model/event.ts';
import type { Approval, ButtonCommand, FollowUp, Incident } from '../model/incident.ts';
import type { ActionStep, MonitorDef } from '../model/runbook.ts';
import { requestApproval } from './approval-flow.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { operationLabel } from './labels.ts';
import type { LadderContext } from './ladder.ts';
import { applies, operationOf } from './ladder.ts';
import { tellPrivately } from './reply.ts';
import { noticeCard } from './views/notice.ts';
import { joinList } from './views/values.ts';

/** The step of `monitor`'s ladder offered once `stepId` has run, if the runbook has one. */
export function followUpAfter(monitor: MonitorDef, stepId: string): ActionStep | undefined {
  return monitor.ladder.find((s): s is ActionStep => s.kind === 'action' && s.offerAfter === stepId);
}

export function offeredFollowUp(
  incident: Pick<Incident, 'followUps'>,
  approval: Pick<Approval, 'monitor' | 'stepId'>,
): FollowUp | undefined {
  return incident.followUps?.find((f) => f.monitor === approval.monitor && f.stepId === approval.stepId);
}

/**
 * After an approved step succeeded: the follow-up it opens is offered; a follow-up that ran is
 * settled (the ladder stays where it was). Says whether `done` was itself a follow-up.
 */
export async function recordFollowUp(
  ctx: EngineContext,
  incidentId: string,
  done: Approval,
  ladder: LadderContext | undefined,
): Promise<boolean> {
  const current = await ctx.store.getIncident(incidentId);
  if (!current) return false;
  const settled = offeredFollowUp(current, done);
  const step = ladder ? followUpAfter(ladder.monitor, done.stepId) : undefined;
  const operation = step && ladder && applies(step, ladder) ? operationOf(step, ladder) : undefined;
  const added: FollowUp | undefined =
    step && operation && !offeredFollowUp(current, { monitor: done.monitor, stepId: step.id })
      ? { monitor: done.monitor, stepId: step.id, after: done.stepId, operation, since: ctx.clock.now().toISOString() }
      : undefined;
  if (!settled && !added) return false;
  const t = ctx.t(current.locale);
  const who = joinList(
    t,
    done.approvals.map((v) => v.actor.displayName),
  );
  await changeIncident(ctx, incidentId, (i) => ({
    ...i,
    followUps: [
      ...(i.followUps ?? []).filter((f) => !(settled && f.monitor === settled.monitor && f.stepId === settled.stepId)),
      ...(added ? [added] : []),
    ],
    ...(settled
      ? { lastEvent: { key: 'followUp.doneEvent', vars: { who, label: operationLabel(t, settled.operation) } } }
      : {}),
  }));
  return settled !== undefined;
}

type FollowUpCommand = Extract<ButtonCommand, { type: 'follow-up' }>;

/** The follow-up's button: a request for approval, if it is still offered. */
export async function onFollowUp(
  ctx: EngineContext,
  event: ActionEvent,
  incident: Incident,
  command: FollowUpCommand,
): Promise<void> {
  const offered = offeredFollowUp(incident, command);
  if (!offered || incident.status === 'closed' || incident.status === 'checking') {
    const t = ctx.t(ctx.localeOf(event.actor));
    await tellPrivately(
      ctx.surface(event.conversation),
      event.conversation,
      event.actor,
      noticeCard(t('refusal.title'), { severity: 'warning', text: t('step.stale') }),
    );
    return;
  }
  await requestApproval(ctx, {
    incident,
    monitor: offered.monitor,
    stepId: offered.stepId,
    operation: offered.operation,
    actor: event.actor,
  });
}
