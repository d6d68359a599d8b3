/**
 * Changing an incident that several flows may touch at once (a probe rerun, an approval, a
 * timer). Each change is re-applied to the freshest version until its compare-and-set wins.
 */
import { HealthbotError } from '../errors.ts';
import type { Incident } from '../model/incident.ts';
import type { Section } from '../model/card.ts';
import type { EngineContext } from './context.ts';
import { publish } from './publish.ts';
import { anchorIfClosed } from './anchors.ts';

const ATTEMPTS = 8;

export async function loadIncident(ctx: EngineContext, id: string): Promise<Incident> {
  const incident = await ctx.store.getIncident(id);
  if (!incident) throw new HealthbotError('internal', `incident ${id} is missing`);
  return incident;
}

/** Applies `change` to the latest incident and shows the card; retries when someone else won. */
export async function changeIncident(
  ctx: EngineContext,
  id: string,
  change: (incident: Incident) => Incident,
  options: { extra?: readonly Section[]; stepsOpen?: boolean } = {},
): Promise<Incident> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadIncident(ctx, id);
    const outcome = await publish(ctx, { ...change(current), updatedAt: ctx.clock.now().toISOString() }, options);
    if (outcome.committed) {
      await anchorIfClosed(ctx, current, outcome.incident);
      return outcome.incident;
    }
    // Someone else's change won the compare-and-set; nothing of ours was shown. Re-apply to theirs.
    if (attempt >= ATTEMPTS)
      throw new HealthbotError('conflict', `incident ${id} kept changing; ${ATTEMPTS} attempts lost the race`);
  }
}
