/**
 * Publishing an incident: commit first, then show (DESIGN: "a card change is committed first,
 * then sent"). A button on a card can only be clicked once the card is visible, and by then the
 * state it was drawn from is stored, so a click that comes at once is judged against that state
 * and never refused as stale. Showing the card after the commit opens the opposite race (two
 * publishers committing in one order and showing in the other), so every publisher looks again
 * after showing and shows the newest committed state when it is newer than its own.
 *
 * A lost compare-and-set is an expected outcome, returned as a value: nothing was shown, so the
 * caller re-applies its change to the newer version (changeIncident) or leaves the card to the
 * publisher that won. It is never a thrown error, and never a second post.
 */
import type { Section } from '../model/card.ts';
import type { Incident } from '../model/incident.ts';
import type { EngineContext } from './context.ts';
import { presentIncident } from './present.ts';
import { showCard } from './reply.ts';

/** How many times a publisher catches up with newer versions before leaving it to their publishers. */
const CATCH_UP = 4;

async function show(ctx: EngineContext, incident: Incident): Promise<string> {
  const servers = await ctx.servers();
  const presented = presentIncident(ctx, incident, servers, incident.extra ? { extra: incident.extra } : {});
  if (presented.actions.length > 0) await ctx.store.insertActions(presented.actions);
  return showCard(ctx.surface(incident.conversation), incident.conversation, incident.messageRef, presented.card);
}

export type PublishOutcome = { readonly committed: true; readonly incident: Incident } | { readonly committed: false };

/** Saves the incident (compare-and-set), then shows its card; returns the stored incident, or that another change won. */
export async function publish(
  ctx: EngineContext,
  incident: Incident,
  options: { extra?: readonly Section[]; stepsOpen?: boolean } = {},
): Promise<PublishOutcome> {
  const { extra: _shownBefore, stepsOpen: _openBefore, ...rest } = incident;
  const next: Incident = {
    ...rest,
    ...(options.extra && options.extra.length > 0 ? { extra: options.extra } : {}),
    ...(options.stepsOpen ? { stepsOpen: true } : {}),
    version: incident.version + 1,
    updatedAt: ctx.clock.now().toISOString(),
  };
  if (!(await ctx.store.updateIncident(next))) return { committed: false };
  const ref = await show(ctx, next);
  let shown: Incident = next;
  if (ref !== next.messageRef) {
    await ctx.store.setIncidentMessageRef(next.id, ref);
    shown = { ...next, messageRef: ref };
  }
  // Someone committed a newer version while we were showing ours: make sure the newest is what stays.
  for (let round = 0; round < CATCH_UP; round++) {
    const latest = await ctx.store.getIncident(next.id);
    if (!latest || latest.version <= shown.version || !latest.messageRef) break;
    await show(ctx, latest);
    shown = latest;
  }
  return { committed: true, incident: { ...next, messageRef: ref } };
}
