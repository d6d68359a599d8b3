/**
 * What a server's activation was before this incident blocked it. Moving databases off reports the
 * policy it replaced; a second move-now (a retry after a failure, or another incident while the
 * first still owes its put-back) finds the Blocked that the first one set. Only the first reading
 * says what "allow activation again" must restore, so it is kept on the incident and never replaced.
 */
import type { ActivationOutcome } from '../model/exchange.ts';
import type { ActivationFound, Incident } from '../model/incident.ts';
import type { Operation } from '../model/operations.ts';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function activationFoundOn(
  incident: Pick<Incident, 'activationFound'>,
  server: string,
): ActivationFound | undefined {
  return incident.activationFound?.find((f) => same(f.server, server));
}

/** An earlier incident on the server still owes allowing activation again: what it will restore. */
function owedElsewhere(incident: Incident, server: string): ActivationFound | undefined {
  for (const o of incident.owedElsewhere ?? []) {
    const op = o.operation;
    if (op.kind === 'set-database-activation' && op.mode === 'allow' && op.restorePolicy && same(op.server, server)) {
      return { server: op.server, policy: op.restorePolicy, at: o.since, fromIncident: o.incidentId };
    }
  }
  return undefined;
}

/**
 * The incident with what a move-now found kept, when it ran (succeeded or not: a failed one may
 * already have set Blocked) and neither this incident nor an earlier one on the server knows the
 * original yet. Pure, so it joins whatever change the caller makes to the incident anyway.
 */
export function keepActivationFound(
  incident: Incident,
  op: Operation,
  outcome: ActivationOutcome | undefined,
  now: Date,
): Incident {
  if (op.kind !== 'set-database-activation' || op.mode !== 'move-now' || !outcome?.previousPolicy) return incident;
  if (activationFoundOn(incident, op.server)) return incident;
  const found: ActivationFound = owedElsewhere(incident, op.server) ?? {
    server: op.server,
    policy: outcome.previousPolicy,
    ...(outcome.previousDisabledAndMoveNow !== undefined
      ? { disabledAndMoveNow: outcome.previousDisabledAndMoveNow }
      : {}),
    at: now.toISOString(),
  };
  return { ...incident, activationFound: [...(incident.activationFound ?? []), found] };
}
