/**
 * The back-end gate switches the ladder in place. When the failing probe names its back end (the
 * CTP probe's `_Mbx:` server) and that server reports unhealthy monitors of its own, the incident
 * walks the back end's ladder for the first of them instead of the Client Access steps: same
 * incident, same card, and the timeline says why. Once the back end is healthy again, the next
 * diagnosis returns to the Client Access ladder from its start.
 */
import type { ServerInfo } from '../model/exchange.ts';
import type { Finding, Incident } from '../model/incident.ts';
import type { EngineContext } from './context.ts';
import type { LadderContext } from './ladder.ts';
import { findServer } from './servers.ts';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export interface BackendLadder {
  readonly server: string;
  readonly healthSet: string;
  readonly monitor: string;
}

/** The back end's ladder that replaces this finding's, when its back end is unhealthy and a runbook knows the monitor. */
export function backendLadderFor(
  ctx: Pick<EngineContext, 'catalogue'>,
  finding: Finding | undefined,
): BackendLadder | undefined {
  if (!finding?.backend || finding.verdict !== 'confirmed') return undefined;
  for (const m of finding.backend.unhealthy) {
    if (ctx.catalogue.monitor(m.healthSet, m.monitor))
      return { server: finding.backend.server, healthSet: m.healthSet, monitor: m.monitor };
  }
  return undefined;
}

/** The Client Access finding whose back end's ladder this incident walks, if the gate switched it. */
export function gatedFinding(incident: Pick<Incident, 'ladder' | 'findings'>): Finding | undefined {
  const ladder = incident.ladder;
  if (!ladder?.server) return undefined;
  return incident.findings.find(
    (f) =>
      f.backend &&
      same(f.backend.server, ladder.server!) &&
      f.backend.unhealthy.some((m) => m.monitor === ladder.monitor),
  );
}

/** The ladder context of the back end's ladder, when the gate switched this incident to it. */
export function backendLadderContext(
  ctx: Pick<EngineContext, 'catalogue'>,
  incident: Incident,
  servers: readonly ServerInfo[],
): LadderContext | undefined {
  const finding = gatedFinding(incident);
  const row = finding?.backend?.unhealthy.find((m) => m.monitor === incident.ladder!.monitor);
  const server = findServer(servers, incident.ladder?.server ?? '');
  const known = row ? ctx.catalogue.monitor(row.healthSet, row.monitor) : undefined;
  if (!row || !known || !server) return undefined;
  const probe = ctx.catalogue.probe(known.runbook, known.monitor);
  return {
    server,
    monitor: known.monitor,
    peers: servers,
    ...(probe ? { probe } : {}),
    ...(row.targetResource ? { targetResource: row.targetResource } : {}),
  };
}
