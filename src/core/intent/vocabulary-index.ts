/**
 * What matching looks up in a vocabulary, built once per vocabulary object (the same vocabulary
 * answers many questions): server keys, health-set phrases longest first, item names, the keys
 * that typos are compared with, and the health sets' Japanese aliases for cutting Japanese text.
 */
import type { ItemName } from './items.ts';
import { itemIndex } from './items.ts';
import { fold, JAPANESE, scriptRuns, subwords } from './normalise.ts';

/** What the parser may recognise: health sets with their aliases, servers, monitoring item names. */
export interface Vocabulary {
  readonly healthSets: readonly { readonly name: string; readonly aliases: readonly string[] }[];
  readonly servers: readonly { readonly name: string; readonly fqdn: string }[];
  /** Monitor, probe and responder names with their health set (runbook tables, servers' monitoring items). */
  readonly items?: readonly ItemName[];
}

export interface Phrase {
  readonly words: readonly string[];
  readonly healthSet: string;
}

export interface VocabularyIndex {
  /** Lower-case server name or FQDN → the server's name. */
  readonly servers: ReadonlyMap<string, string>;
  readonly phrases: readonly Phrase[];
  readonly items: ReadonlyMap<string, readonly string[]>;
  /** Last parts of dotted health-set names (proxy, protocol, ...): "Foo.Proxy" is a health set, not a host. */
  readonly suffixes: ReadonlySet<string>;
  /** What a mistyped health set is compared with → the name suggested. */
  readonly typoKeys: ReadonlyMap<string, string>;
  readonly japaneseAliases: readonly string[];
}

/** An apostrophe in an alias separates words, as a French elision does in text ("file d'attente"). */
const APOSTROPHE = /['’‘`´]/g;

function phrasesOf(vocab: Vocabulary): Phrase[] {
  const phrases = vocab.healthSets.flatMap((hs) =>
    [hs.name, ...hs.aliases].map((alias) => ({
      words: fold(alias).replace(APOSTROPHE, ' ').split(/\s+/).flatMap(subwords).flatMap(scriptRuns),
      healthSet: hs.name,
    })),
  );
  // Longest first so "imap proxy" beats "imap"; the sort is stable, so runbook sets win ties.
  return phrases.filter((p) => p.words.length > 0).sort((a, b) => b.words.length - a.words.length);
}

function typoKeysOf(vocab: Vocabulary, items: ReadonlyMap<string, readonly string[]>): Map<string, string> {
  const keys = new Map<string, string>();
  // First come, first kept: runbook health sets precede known-only ones in the vocabulary.
  const keep = (key: string, name: string) => void (keys.has(key) || keys.set(key, name));
  for (const hs of vocab.healthSets) {
    keep(hs.name.toLowerCase(), hs.name);
    for (const a of hs.aliases) keep(fold(a).replace(APOSTROPHE, '').replace(/\s+/g, ''), hs.name);
  }
  // A mistyped monitor or probe name suggests its health set ("OwaCptMonitor": OWA).
  for (const [name, sets] of items) if (sets.length === 1) keep(name, sets[0]!);
  return keys;
}

function build(vocab: Vocabulary): VocabularyIndex {
  const servers = new Map<string, string>();
  for (const s of vocab.servers) {
    servers.set(s.name.toLowerCase(), s.name);
    servers.set(s.fqdn.toLowerCase(), s.name);
  }
  const items = itemIndex(vocab.items);
  return {
    servers,
    phrases: phrasesOf(vocab),
    items,
    suffixes: new Set(
      vocab.healthSets.filter((h) => h.name.includes('.')).map((h) => h.name.toLowerCase().split('.').pop()!),
    ),
    typoKeys: typoKeysOf(vocab, items),
    japaneseAliases: vocab.healthSets.flatMap((h) =>
      h.aliases.flatMap((a) => scriptRuns(fold(a))).filter((a) => JAPANESE.test(a)),
    ),
  };
}

/** The same names, aliases, items and servers, in the same order: comparing is far cheaper than indexing. */
function sameContent(a: Vocabulary, b: Vocabulary): boolean {
  const ai = a.items ?? [];
  const bi = b.items ?? [];
  return (
    a.healthSets.length === b.healthSets.length &&
    a.servers.length === b.servers.length &&
    ai.length === bi.length &&
    a.healthSets.every((h, i) => {
      const o = b.healthSets[i]!;
      return (
        h.name === o.name &&
        (h.aliases === o.aliases ||
          (h.aliases.length === o.aliases.length && h.aliases.every((x, k) => x === o.aliases[k])))
      );
    }) &&
    a.servers.every((s, i) => s.name === b.servers[i]!.name && s.fqdn === b.servers[i]!.fqdn) &&
    ai.every((it, i) => it.name === bi[i]!.name && it.healthSet === bi[i]!.healthSet)
  );
}

const cache = new WeakMap<Vocabulary, VocabularyIndex>();
/** The engine builds a new vocabulary object for every message, mostly with the same content. */
let last: { vocab: Vocabulary; ix: VocabularyIndex } | undefined;

export function indexVocabulary(vocab: Vocabulary): VocabularyIndex {
  let ix = cache.get(vocab);
  if (ix) return ix;
  ix = last && sameContent(last.vocab, vocab) ? last.ix : build(vocab);
  cache.set(vocab, ix);
  last = { vocab, ix };
  return ix;
}
