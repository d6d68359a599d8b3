/**
 * Which documented health sets Healthbot answers, and how: with a runbook (and the ladder
 * templates it uses), with the generic flow, or not at all because the set does not exist on the
 * Exchange version asked about (Unified Messaging is gone from 2019 and Subscription Edition).
 * The documented sets are those of the runbooks and of known-health-sets.yaml: the 69 articles.
 */
import type { ExchangeVersion, Runbook } from '../core/index.ts';
import type { KnownHealthSet } from '../core/engine/catalogue.ts';

export const EXCHANGE_VERSIONS: readonly ExchangeVersion[] = ['2013', '2016', '2019', 'SE'];

export type CoverageStatus = 'runbook' | 'generic' | 'not-applicable';

export interface CoverageRow {
  readonly healthSet: string;
  readonly status: CoverageStatus;
  /** The runbook that covers the set (also when it does not apply on this version). */
  readonly runbook?: string;
  /** The ladder templates its monitors use, when any. */
  readonly templates: readonly string[];
  /** How many monitors of the set the runbook knows. */
  readonly monitors: number;
  /** The versions the set exists on; absent means every version. */
  readonly versions?: readonly ExchangeVersion[];
  /** The troubleshooting article, under shared/reference/exchange-2013/. */
  readonly article: string;
}

/** Microsoft's articles follow one file-name pattern: dots become hyphens, all lower case. */
export function articleOf(healthSet: string): string {
  return `health-sets/troubleshooting-${healthSet.toLowerCase().replace(/\./g, '-')}-health-set.md`;
}

export function coverage(
  runbooks: readonly Runbook[],
  known: readonly KnownHealthSet[],
  version: ExchangeVersion,
): CoverageRow[] {
  const rows = new Map<string, CoverageRow>();
  for (const rb of runbooks)
    for (const hs of rb.healthSets) {
      const monitors = rb.monitors.filter((m) => m.healthSet === hs.name);
      const templates = [...new Set(monitors.flatMap((m) => (m.template ? [m.template] : [])))].sort();
      const applies = !hs.versions || hs.versions.includes(version);
      rows.set(hs.name.toLowerCase(), {
        healthSet: hs.name,
        status: applies ? 'runbook' : 'not-applicable',
        runbook: rb.id,
        templates,
        monitors: monitors.length,
        ...(hs.versions ? { versions: hs.versions } : {}),
        article: articleOf(hs.name),
      });
    }
  for (const k of known)
    if (k.documented !== false && !rows.has(k.name.toLowerCase()))
      rows.set(k.name.toLowerCase(), {
        healthSet: k.name,
        status: 'generic',
        templates: [],
        monitors: 0,
        article: articleOf(k.name),
      });
  return [...rows.values()].sort((a, b) => a.healthSet.localeCompare(b.healthSet, 'en'));
}

export function isExchangeVersion(value: string): value is ExchangeVersion {
  return (EXCHANGE_VERSIONS as readonly string[]).includes(value);
}
