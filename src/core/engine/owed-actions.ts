/**
 * The buttons around owed compensations: run one (an approval like any action), dismiss one on
 * the record, and close the incident, which is refused while anything is still owed.
 */
import { hasRole } from '../approvals/policy.ts';
import type { ActionEvent } from '../model/event.ts';
import type { ButtonCommand, Incident } from '../model/incident.ts';
import { requestApproval } from './approval-flow.ts';
import { owedStep } from './compensation.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { operationLabel } from './labels.ts';
import { tellPrivately } from './reply.ts';
import { noticeCard } from './views/notice.ts';

type OwedCommand = Extract<ButtonCommand, { type: 'compensate' | 'dismiss-owed' | 'close' }>;

export async function onOwed(
  ctx: EngineContext,
  event: ActionEvent,
  incident: Incident,
  command: OwedCommand,
): Promise<void> {
  const actor = event.actor;
  const t = ctx.tFor(actor);
  const cardT = ctx.tFor(incident);
  const tell = (text: string, items?: readonly string[]) =>
    tellPrivately(
      ctx.surface(event.conversation),
      event.conversation,
      actor,
      noticeCard(t('refusal.title'), { severity: 'warning', text, ...(items ? { items } : {}) }),
    );

  if (command.type === 'close') {
    if (incident.status === 'closed') return;
    const owed = incident.owed ?? [];
    if (owed.length > 0) {
      // Closing would hide what is still changed on the server: run it or dismiss it first.
      await tell(
        t('owed.closeRefused', { count: owed.length }),
        owed.map((o) => operationLabel(t, o.operation)),
      );
      return;
    }
    await ctx.audit({ type: 'closed', incidentId: incident.id, actor, data: { from: incident.status } });
    await changeIncident(ctx, incident.id, (i) => ({
      ...i,
      status: 'closed',
      lastEvent: { key: 'owed.closedEvent', vars: { who: actor.displayName } },
    }));
    return;
  }

  const owed = owedStep(incident, command.monitor, command.stepId);
  if (!owed) {
    await tell(t('step.stale'));
    return;
  }
  if (command.type === 'compensate') {
    await requestApproval(ctx, {
      incident,
      monitor: owed.monitor,
      stepId: owed.stepId,
      operation: owed.operation,
      actor,
    });
    return;
  }
  if (!hasRole(ctx.policy, actor, 'operator')) {
    await tell(t('refusal.not-operator'));
    return;
  }
  // The record comes first: a dismissal that cannot be audited does not happen.
  await ctx.audit({
    type: 'compensation-dismissed',
    incidentId: incident.id,
    actor,
    data: {
      monitor: owed.monitor,
      stepId: owed.stepId,
      undoes: owed.undoes,
      operation: owed.operation,
      owedSince: owed.since,
    },
  });
  await changeIncident(ctx, incident.id, (i) => ({
    ...i,
    owed: (i.owed ?? []).filter((o) => !(o.monitor === owed.monitor && o.stepId === owed.stepId)),
    lastEvent: {
      key: 'owed.dismissedEvent',
      vars: { who: actor.displayName, label: operationLabel(cardT, owed.operation) },
    },
  }));
}
