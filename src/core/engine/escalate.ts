/**
 * Escalation: the ladder is exhausted or a person decided to hand over. The incident is marked
 * escalated and its timeline is posted, ready to attach to a support case.
 */
import type { Actor } from '../model/event.ts';
import type { Incident } from '../model/incident.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { timelineCard } from './timeline.ts';
import type { CardAction } from '../model/card.ts';
import type { Translate } from '../ports/i18n.ts';

/** Who the incident goes to, in words: the configured target, or that none is configured. */
export function escalationTarget(ctx: Pick<EngineContext, 'escalationTarget'>, t: Translate): string {
  return ctx.escalationTarget ?? t('escalate.noTarget');
}

/** The Escalate button: short, and confirmed first with the name of who takes the incident over. */
export function escalateButton(ctx: Pick<EngineContext, 'escalationTarget'>, t: Translate): Omit<CardAction, 'id'> {
  const target = escalationTarget(ctx, t);
  return {
    label: t('button.escalate'),
    style: 'default',
    confirm: {
      title: t('escalate.confirmTitle'),
      text: t('escalate.confirmText', { target }),
      yes: t('escalate.confirmYes'),
      no: t('confirm.no'),
    },
  };
}

export async function escalate(ctx: EngineContext, incident: Incident, actor: Actor): Promise<void> {
  const target = escalationTarget(ctx, ctx.tFor(incident));
  await ctx.audit({
    type: 'escalated',
    incidentId: incident.id,
    actor,
    data: { server: incident.server, healthSet: incident.healthSet ?? null, target },
  });
  const updated = await changeIncident(ctx, incident.id, (i) => ({
    ...i,
    status: 'escalated',
    lastEvent: { key: 'step.escalatedTo', vars: { who: actor.displayName, target } },
  }));
  const records = await ctx.store.readAudit({ incidentId: incident.id });
  const t = ctx.tFor(updated);
  await ctx.surface(updated.conversation).post(updated.conversation, timelineCard(t, updated, records, ctx.timeZone));
}
