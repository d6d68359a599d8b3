/** The clock an outcome's instants are written in, inside an incident's card: its zone, its language, now. */
import type { Incident } from '../model/incident.ts';
import type { EngineContext } from './context.ts';
import type { OutcomeClock } from './views/values.ts';

export function outcomeClock(
  ctx: Pick<EngineContext, 'timeZone' | 'clock'>,
  incident: Pick<Incident, 'locale'>,
): OutcomeClock {
  return { timeZone: ctx.timeZone, locale: incident.locale, today: ctx.clock.now() };
}
