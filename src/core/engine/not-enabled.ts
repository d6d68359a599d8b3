/**
 * Is the service meant to run? Before the ladder restarts a service, its state and StartType are
 * read. A Disabled service, or a Manual one that is stopped, means the protocol it serves was never
 * switched on here (IMAP4 and POP3 are off after setup): the alert is noise, and a restart would
 * switch the protocol on. Then the card explains and offers no restart.
 */
import type { ServiceState } from '../model/exchange.ts';
import type { Incident, NotEnabled } from '../model/incident.ts';
import type { EngineContext } from './context.ts';
import { applicableSteps, operationOf } from './ladder.ts';
import type { LadderContext } from './ladder.ts';

export function meantToBeOff(s: ServiceState): boolean {
  return s.startType === 'Disabled' || (s.startType === 'Manual' && s.status === 'Stopped');
}

/** Reads each service the ladder would restart; those not meant to run. Unreadable ones claim nothing. */
export async function readNotEnabled(ctx: EngineContext, ladder: LadderContext | undefined): Promise<NotEnabled[]> {
  if (!ladder) return [];
  const targets = new Map<string, { server: string; service: ServiceState['service'] }>();
  for (const { step } of applicableSteps(ladder)) {
    const op = operationOf(step, ladder);
    if (op?.kind === 'restart-service') targets.set(`${op.server}|${op.service}`, { server: op.server, service: op.service });
  }
  const found: NotEnabled[] = [];
  for (const t of targets.values()) {
    try {
      const s = await ctx.gateway.run({ kind: 'get-service', server: t.server, service: t.service as never });
      if (meantToBeOff(s) && s.startType) found.push({ server: s.server, service: s.service, status: s.status, startType: s.startType });
    } catch (err) {
      // Not knowing is not "off": the ladder stays as it is.
      ctx.observer.error?.('service-state', err);
    }
  }
  return found;
}

export function isNoise(incident: Pick<Incident, 'status' | 'notEnabled'>): boolean {
  return incident.status === 'confirmed' && (incident.notEnabled?.length ?? 0) > 0;
}
