/**
 * The words for a health set that Get-ServerHealth did not report on a server: asked about, but
 * nothing read. Where the servers' own reports are known (discovery), the card says which servers
 * do have the set, or that none does, so the person knows whether to ask elsewhere or not at all.
 */
import type { ServerInfo } from '../model/exchange.ts';
import type { Incident } from '../model/incident.ts';
import type { HealthSetDiscovery } from './discovered-sets.ts';

export async function absentEvent(
  discovery: HealthSetDiscovery | undefined,
  server: ServerInfo | undefined,
  serverName: string,
  healthSets: readonly string[],
): Promise<NonNullable<Incident['lastEvent']>> {
  const vars = { healthSets: healthSets.join(', '), server: serverName, version: server?.version ?? '?' };
  // Nothing learnt from the servers yet (a fresh CLI process): worth asking them once, here only.
  // A failed read leaves the plain question, which is still true.
  if (discovery && !discovery.current().at) await discovery.refreshIfDue().catch(() => undefined);
  const known = discovery?.current();
  if (!known?.at) return { key: 'diag.absent', vars };
  const wanted = new Set(healthSets.map((h) => h.toLowerCase()));
  const elsewhere = known.healthSets
    .filter((s) => wanted.has(s.name.toLowerCase()))
    .flatMap((s) => s.servers)
    .filter((s) => s !== serverName);
  if (elsewhere.length > 0)
    return { key: 'diag.absentElsewhere', vars: { ...vars, servers: [...new Set(elsewhere)].join(', ') } };
  // Only "no server reports it" when every server could be read; otherwise the plain question stands.
  return known.unreadable.length === 0 ? { key: 'diag.absentNowhere', vars } : { key: 'diag.absent', vars };
}
