/**
 * The cards that still ask for something, drawn again from the store: every open incident's
 * diagnosis card and every pending approval's card, with fresh buttons. A surface that keeps its
 * history only in memory (the web chat) shows them again after a restart, in order, and their
 * buttons work because they are stored like any other offered button.
 */
import type { ConversationRef } from '../model/event.ts';
import type { Incident } from '../model/incident.ts';
import type { StandingCard } from '../ports/engine.ts';
import type { EngineContext } from './context.ts';
import { approvalCardOf } from './approval-card.ts';
import { presentIncident } from './present.ts';

/** Still being worked on: a ladder to walk, a check under way, a failure to escalate. */
const OPEN: readonly Incident['status'][] = ['checking', 'confirmed', 'failed'];
/** Over, but still owing a put-back (shown until done or dismissed). */
const SETTLED: readonly Incident['status'][] = ['resolved', 'escalated', 'transient'];
const LIMIT = 200;

export async function standingCards(
  ctx: EngineContext,
  owns: (conversation: ConversationRef) => boolean,
): Promise<StandingCard[]> {
  const now = ctx.clock.now().getTime();
  const open = await ctx.store.listIncidentsByStatus(OPEN, LIMIT);
  const owing = (await ctx.store.listIncidentsByStatus(SETTLED, LIMIT)).filter((i) => (i.owed?.length ?? 0) > 0);
  const pending = (await ctx.store.listApprovals({ states: ['pending'] })).filter((a) => Date.parse(a.expiresAt) > now);
  const incidents = new Map<string, Incident>([...open, ...owing].map((i) => [i.id, i]));
  // An approval keeps its incident's card beside it, whatever the incident's status.
  for (const a of pending)
    if (!incidents.has(a.incidentId)) {
      const i = await ctx.store.getIncident(a.incidentId);
      if (i) incidents.set(i.id, i);
    }
  const shown = [...incidents.values()].filter((i) => i.messageRef && owns(i.conversation));
  if (shown.length === 0) return [];
  const servers = await ctx.servers();
  const cards: StandingCard[] = [];
  for (const incident of shown) {
    const presented = presentIncident(ctx, incident, servers, incident.extra ? { extra: incident.extra } : {});
    if (presented.actions.length > 0) await ctx.store.insertActions(presented.actions);
    cards.push({
      conversation: incident.conversation,
      messageRef: incident.messageRef!,
      card: presented.card,
      at: incident.openedAt,
      question: { text: incident.question, by: incident.openedBy.displayName },
    });
  }
  for (const approval of pending) {
    const incident = incidents.get(approval.incidentId);
    if (!incident || !approval.messageRef || !owns(incident.conversation)) continue;
    const card = await approvalCardOf(ctx, approval, incident);
    cards.push({
      conversation: incident.conversation,
      messageRef: approval.messageRef,
      card,
      at: approval.requestedAt,
      question: { text: incident.question, by: incident.openedBy.displayName },
    });
  }
  return cards.sort((a, b) => a.at.localeCompare(b.at));
}
