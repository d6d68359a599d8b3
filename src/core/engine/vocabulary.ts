/**
 * What the parser may recognise: the catalogue's health sets and names (runbooks first, then the
 * documented ones), the sets the servers report that neither knows, and the monitor, probe and
 * responder names of the runbooks' tables and of the servers' monitoring items.
 */
import type { Vocabulary } from '../intent/index.ts';
import type { Catalogue } from './catalogue.ts';
import type { Discovered } from './discovered-sets.ts';

export function vocabularyOf(
  catalogue: Catalogue,
  discovered: Discovered | undefined,
  servers: Vocabulary['servers'],
): Vocabulary {
  const known = new Set(catalogue.healthSets.map((h) => h.name.toLowerCase()));
  const reported = (discovered?.healthSets ?? [])
    .filter((s) => !known.has(s.name.toLowerCase()))
    .map((s) => ({ name: s.name, aliases: [] }));
  const fromRunbooks = catalogue.runbooks.flatMap((rb) => [
    ...rb.probes.map((p) => ({ name: p.name, healthSet: p.healthSet })),
    ...rb.monitors.map((mo) => ({ name: mo.name, healthSet: mo.healthSet })),
  ]);
  const fromServers = (discovered?.items ?? [])
    .filter((i) => i.itemType !== 'Other')
    .map((i) => ({ name: i.name, healthSet: i.healthSet }));
  return { healthSets: [...catalogue.healthSets, ...reported], servers, items: [...fromRunbooks, ...fromServers] };
}
