/**
 * Is the service meant to run? Before the ladder restarts a service, its state and StartType are
 * read. A Disabled service, or a Manual one that is stopped, means the protocol it serves was never
 * switched on here (IMAP4 and POP3 are off after setup): the alert is noise, and a restart would
 * switch the protocol on. Then the card explains and offers no restart.
 */
import type { ServerInfo, ServiceState } from '../model/exchange.ts';
import type { Runbook } from '../model/runbook.ts';
import { canonicalService } from '../model/operations.ts';
import type { Incident, NotEnabled } from '../model/incident.ts';
import type { EngineContext } from './context.ts';
import { applicableSteps, operationOf } from './ladder.ts';
import type { LadderContext } from './ladder.ts';

export function meantToBeOff(s: ServiceState): boolean {
  return s.startType === 'Disabled' || (s.startType === 'Manual' && s.status === 'Stopped');
}

/** The services a ladder would restart on the server asked about (not on a back end). */
function restartsOnServer(ladder: LadderContext): Set<string> {
  const out = new Set<string>();
  for (const { step } of applicableSteps(ladder)) {
    if (step.kind !== 'action' || step.target !== 'server') continue;
    const op = operationOf(step, ladder);
    if (op?.kind === 'restart-service') out.add(`${op.server}|${op.service}`);
  }
  return out;
}

/**
 * Reads, beside the probes, the state and StartType of every service any ladder of the runbook
 * would restart on this server. Only the asked server: a back end named by a probe has just served
 * that protocol, so it is enabled there. Unreadable services claim nothing.
 */
export async function readServiceIntent(
  ctx: EngineContext,
  server: ServerInfo,
  runbook: Runbook | undefined,
): Promise<ServiceState[]> {
  const wanted = new Set<string>();
  for (const monitor of runbook?.monitors ?? [])
    for (const key of restartsOnServer({ server, monitor })) wanted.add(key);
  const reads = [...wanted].map(async (key) => {
    const service = canonicalService(key.split('|')[1] ?? '');
    if (!service) return undefined;
    try {
      return await ctx.gateway.run({ kind: 'get-service', server: server.name, service });
    } catch (err) {
      ctx.observer.error?.('service-state', err);
      return undefined;
    }
  });
  return (await Promise.all(reads)).filter((s): s is ServiceState => s !== undefined);
}

/** Of what was read, the services this ladder would restart that are not meant to run. */
export function notEnabledFor(read: readonly ServiceState[], ladder: LadderContext | undefined): NotEnabled[] {
  if (!ladder) return [];
  const restarts = restartsOnServer(ladder);
  return read
    .filter((s) => restarts.has(`${s.server}|${s.service}`) && meantToBeOff(s) && s.startType)
    .map((s) => ({ server: s.server, service: s.service, status: s.status, startType: s.startType! }));
}

export function isNoise(incident: Pick<Incident, 'status' | 'notEnabled'>): boolean {
  return incident.status === 'confirmed' && (incident.notEnabled?.length ?? 0) > 0;
}
