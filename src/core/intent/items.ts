/**
 * Monitor, probe and responder names, as people paste them from alerts ("OwaCtpMonitor unhealthy
 * on server1", "PopCTPProbe failed"): each leads to its health set. The names come from the
 * vocabulary (the runbooks' probe and monitor tables and what the servers report), never from a
 * list here.
 */
import type { Token } from './normalise.ts';

export interface ItemName {
  readonly name: string;
  readonly healthSet: string;
}

/** Lower-case item name → the health sets it belongs to (two sets may share a monitor name). */
export function itemIndex(items: readonly ItemName[] | undefined): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const item of items ?? []) {
    const key = item.name.toLowerCase();
    const sets = index.get(key) ?? [];
    if (!sets.some((s) => s.toLowerCase() === item.healthSet.toLowerCase())) sets.push(item.healthSet);
    index.set(key, sets);
  }
  return index;
}

export interface ItemHit {
  readonly token: number;
  /** One health set, or several when the name is shared (then the person has to say which). */
  readonly healthSets: readonly string[];
}

/** Tokens that are a known item's name, in order. */
export function findItems(
  tokens: readonly Token[],
  index: ReadonlyMap<string, readonly string[]>,
  skip: ReadonlySet<number>,
): ItemHit[] {
  const hits: ItemHit[] = [];
  tokens.forEach((t, i) => {
    if (skip.has(i)) return;
    const sets = index.get(t.lower);
    if (sets) hits.push({ token: i, healthSets: sets });
  });
  return hits;
}

/**
 * Shaped like a monitoring item's name though no server or runbook knows it ("FooBarMonitor",
 * "Contoso.Sync.Probe"): such a word names a health set we cannot place, so it is reported,
 * never dropped in favour of a whole-server answer.
 */
export function looksLikeItem(token: Token): boolean {
  return token.lower.length >= 9 && /[a-z0-9.](monitor|probe|responder)$/.test(token.lower);
}
