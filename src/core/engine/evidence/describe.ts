/**
 * The evidence as data, for `--json`: every read as it came back (or why it did not), and the
 * Exchange Management Shell command a person would type to read the same by hand.
 */
import type { Evidence } from '../../model/evidence.ts';
import type { Incident } from '../../model/incident.ts';
import type { Operation } from '../../model/operations.ts';
import { emsCommand } from '../ems-command.ts';

export function evidenceOperations(server: string, e: Evidence): Operation[] {
  return [
    { kind: 'get-recovery-actions', server, sinceMinutes: e.windows.recoveryMinutes },
    { kind: 'get-windows-events', server, sinceMinutes: e.windows.eventsMinutes },
    ...(e.probeHistory ?? []).map((h): Operation => ({
      kind: 'get-probe-history',
      server,
      resultNames: h.resultNames,
      sinceMinutes: e.windows.probeMinutes,
    })),
    ...(e.unlisted?.healthSets ?? []).map((healthSet): Operation => ({
      kind: 'get-monitoring-item-identity',
      server,
      healthSet,
    })),
  ];
}

export function describeEvidence(incident: Incident): (Evidence & { readonly commands: readonly string[] }) | null {
  const e = incident.evidence;
  if (!e) return null;
  return { ...e, commands: evidenceOperations(incident.server, e).flatMap((op) => emsCommand(op) ?? []) };
}
