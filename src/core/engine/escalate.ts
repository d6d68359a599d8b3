/**
 * Escalation: the ladder is exhausted or a person decided to hand over. The incident is marked
 * escalated and its timeline is posted, ready to attach to a support case.
 */
import type { Actor } from '../model/event.ts';
import type { Incident } from '../model/incident.ts';
import type { EngineContext } from './context.ts';
import { changeIncident } from './incident-updates.ts';
import { timelineCard } from './timeline.ts';

export async function escalate(ctx: EngineContext, incident: Incident, actor: Actor): Promise<void> {
  await ctx.audit({ type: 'escalated', incidentId: incident.id, actor, data: { server: incident.server, healthSet: incident.healthSet ?? null } });
  const updated = await changeIncident(ctx, incident.id, (i) => ({
    ...i,
    status: 'escalated',
    lastEvent: { key: 'step.escalated', vars: { who: actor.displayName } },
  }));
  const records = await ctx.store.readAudit({ incidentId: incident.id });
  const t = ctx.tFor(updated);
  await ctx.surface(updated.conversation).post(updated.conversation, timelineCard(t, updated, records, ctx.timeZone));
}
