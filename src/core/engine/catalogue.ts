/**
 * Lookups over the loaded runbooks: which runbook covers a health set, which probe confirms a
 * monitor, which names people may type. Built once at start; the engine never tests health-set
 * names itself (a missing runbook feature belongs in the runbook, not in an `if`).
 */
import type { MonitorDef, ProbeDef, Runbook } from '../model/runbook.ts';

export interface KnownHealthSet {
  readonly name: string;
  readonly aliases: readonly string[];
  /** False for a set no 2013 article documents (newer versions); such a set is recognised, not covered. */
  readonly documented?: false;
}

export interface Catalogue {
  readonly runbooks: readonly Runbook[];
  /** Every health set the bot recognises: those of the runbooks first, then the known-only ones. */
  readonly healthSets: readonly KnownHealthSet[];
  runbookFor(healthSet: string): Runbook | undefined;
  monitor(healthSet: string, monitor: string): { runbook: Runbook; monitor: MonitorDef } | undefined;
  probe(runbook: Runbook, monitor: MonitorDef): ProbeDef | undefined;
  /** The health sets to read for a question about `healthSet`: its runbook's sets and related sets, or just itself. */
  scopeOf(healthSet: string): readonly string[];
}

const lower = (s: string) => s.toLowerCase();

export function createCatalogue(runbooks: readonly Runbook[], known: readonly KnownHealthSet[] = []): Catalogue {
  const byHealthSet = new Map<string, Runbook>();
  for (const rb of runbooks) for (const hs of rb.healthSets) byHealthSet.set(lower(hs.name), rb);

  const healthSets: KnownHealthSet[] = runbooks.flatMap((rb) =>
    rb.healthSets.map((hs) => ({ name: hs.name, aliases: hs.aliases })),
  );
  const seen = new Set(healthSets.map((h) => lower(h.name)));
  for (const k of known) {
    if (seen.has(lower(k.name))) continue;
    seen.add(lower(k.name));
    healthSets.push({ name: k.name, aliases: k.aliases.length > 0 ? k.aliases : [lower(k.name)] });
  }

  return {
    runbooks,
    healthSets,
    runbookFor: (healthSet) => byHealthSet.get(lower(healthSet)),
    monitor(healthSet, monitor) {
      const runbook = byHealthSet.get(lower(healthSet));
      const def = runbook?.monitors.find(
        (m) => lower(m.name) === lower(monitor) && lower(m.healthSet) === lower(healthSet),
      );
      return runbook && def ? { runbook, monitor: def } : undefined;
    },
    probe(runbook, monitor) {
      return monitor.probe ? runbook.probes.find((p) => p.name === monitor.probe) : undefined;
    },
    scopeOf(healthSet) {
      const rb = byHealthSet.get(lower(healthSet));
      // Related sets are read along with the runbook's own (ECP with ECP.Proxy): what the article
      // calls closely related is part of the same question.
      if (!rb) return [healthSet];
      const sets = [...rb.healthSets.map((h) => h.name), ...rb.related];
      return sets.filter((s, i) => sets.findIndex((x) => lower(x) === lower(s)) === i);
    },
  };
}
