/**
 * Understands what on-call people type: "what's wrong with IMAP on server1?", "imap broken on
 * server1??", "was ist mit IMAP auf server1 los?", "and on server2?", "status", "help".
 *
 * Only names from the vocabulary come out as a server or a health set; anything that looks like
 * one but is not known becomes a problem with the nearest known names, so nothing unknown ever
 * reaches a command.
 */
import { nearest, typoBudget } from './distance.ts';
import type { Lang } from './lexicon.ts';
import { SUPPORTED_LOCALES, type Locale } from '../ports/i18n.ts';
import { HELP_PHRASES, LANGS, LEXICONS } from './lexicon.ts';
import type { Token } from './normalise.ts';
import { subwords, tokenise } from './normalise.ts';
import type { ItemName } from './items.ts';
import { findItems, itemIndex, looksLikeItem } from './items.ts';

export interface Vocabulary {
  readonly healthSets: readonly { readonly name: string; readonly aliases: readonly string[] }[];
  readonly servers: readonly { readonly name: string; readonly fqdn: string }[];
  /** Monitor, probe and responder names with their health set (runbook tables, servers' monitoring items). */
  readonly items?: readonly ItemName[];
}

export type Intent =
  | {
      readonly kind: 'diagnose';
      readonly healthSet?: string;
      readonly server?: string;
      /** A follow-up in a thread ("and on server2?"): keep the thread's health set. */
      readonly followUp?: boolean;
    }
  | { readonly kind: 'status' }
  | { readonly kind: 'rerun' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'help' }
  | { readonly kind: 'unknown' };

export interface ParseProblem {
  readonly kind: 'unknown-health-set' | 'unknown-server';
  /** What the person typed. */
  readonly text: string;
  /** Known names close to it, best first. */
  readonly suggestions: readonly string[];
}

export interface ParsedQuestion {
  readonly intent: Intent;
  readonly locale: Locale;
  readonly problems: readonly ParseProblem[];
}

export interface ParseOptions {
  /** The platform's idea of the person's language; used when the words do not tell. */
  readonly localeHint?: string;
}

const union = (pick: (l: (typeof LEXICONS)[Lang]) => ReadonlySet<string>): ReadonlySet<string> =>
  new Set(LANGS.flatMap((l) => [...pick(LEXICONS[l])]));
// People mix languages ("check IMAP auf server1"), so keywords are recognised in every language;
// only the choice of reply language looks at which language's words dominate.
const HELP = union((l) => l.help);
const CANCEL = union((l) => l.cancel);
const RERUN = union((l) => l.rerun);
const STATUS = union((l) => l.status);
const TROUBLE = union((l) => l.trouble);
const PREPOSITIONS = union((l) => l.serverPrepositions);
const LEADS = union((l) => l.healthSetLeads);
const FOLLOW_UPS = union((l) => l.followUps);
const HEALTH_SET_WORDS = union((l) => l.healthSetWords);
const FILLER = union((l) => l.filler);
const KEYWORDS = new Set([...HELP, ...CANCEL, ...RERUN, ...STATUS, ...TROUBLE, ...PREPOSITIONS, ...LEADS, ...HEALTH_SET_WORDS, ...FILLER]);

export function detectLocale(tokens: readonly Token[], text: string, hint?: string): Locale {
  const score = (lang: Lang) =>
    tokens.filter((t) => LEXICONS[lang].markers.has(t.lower)).length + (LEXICONS[lang].letters?.test(text) ? 1 : 0);
  const scores = LANGS.map((lang) => ({ lang, score: score(lang) })).sort((a, b) => b.score - a.score);
  const [first, second] = scores;
  if (first && first.score > 0 && first.score > (second?.score ?? 0)) return first.lang;
  const hinted = hint?.toLowerCase().split(/[-_]/)[0];
  // A question with no language of its own is answered in the profile's language, if the bot speaks it.
  return SUPPORTED_LOCALES.find((l) => l === hinted) ?? 'en';
}

/** `server9`, `ex01`, `mbx-3`, `ex2019a`: the shapes server names take. */
const SERVERISH = /^[a-z][a-z-]*\d+[a-z]?$/;
const FQDNISH = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

interface Matched {
  server?: string;
  healthSet?: string;
  problems: ParseProblem[];
  consumed: Set<number>;
  /** Item names that belong to several health sets; a problem unless the set is named too. */
  shared: { token: number; healthSets: readonly string[] }[];
}

function matchServers(tokens: readonly Token[], vocab: Vocabulary, m: Matched): void {
  const byKey = new Map<string, string>();
  for (const s of vocab.servers) {
    byKey.set(s.name.toLowerCase(), s.name);
    byKey.set(s.fqdn.toLowerCase(), s.name);
  }
  tokens.forEach((t, i) => {
    const known = byKey.get(t.lower);
    if (known && !m.server) {
      m.server = known;
      m.consumed.add(i);
    } else if (known) m.consumed.add(i);
  });
}

interface Phrase {
  readonly words: readonly string[];
  readonly healthSet: string;
}

function phrasesOf(vocab: Vocabulary): Phrase[] {
  const phrases = vocab.healthSets.flatMap((hs) =>
    [hs.name, ...hs.aliases].map((alias) => ({ words: alias.toLowerCase().split(/\s+/).flatMap(subwords), healthSet: hs.name })),
  );
  // Longest first so "imap proxy" beats "imap"; the sort is stable, so runbook sets win ties.
  return phrases.filter((p) => p.words.length > 0).sort((a, b) => b.words.length - a.words.length);
}

function matchHealthSet(tokens: readonly Token[], vocab: Vocabulary, m: Matched): void {
  const words: { word: string; token: number }[] = [];
  tokens.forEach((t, i) => {
    if (!m.consumed.has(i)) for (const w of subwords(t.lower)) words.push({ word: w, token: i });
  });
  const phrases = phrasesOf(vocab);
  const found: { healthSet: string; inSlot: boolean }[] = [];
  for (let start = 0; start < words.length; start++) {
    const hit = phrases.find((p) => p.words.every((w, k) => words[start + k]?.word === w));
    if (!hit) continue;
    const span = words.slice(start, start + hit.words.length);
    const used = [...new Set(span.map((w) => w.token))];
    // A phrase must cover whole tokens: "imap" inside "imap.foo" is not IMAP.
    const whole = used.every((ti) => span.filter((w) => w.token === ti).length === subwords(tokens[ti]!.lower).length);
    if (!whole) continue;
    found.push({ healthSet: hit.healthSet, inSlot: inHealthSetSlot(tokens, used[0]!, used[used.length - 1]!, m) });
    for (const ti of used) m.consumed.add(ti);
    start += hit.words.length - 1;
  }
  // Several names ("free/busy lookups fail, is EWS ok on server1"): the one in the slot where a
  // health set goes is the question; the others describe the symptom.
  const chosen = found.find((f) => f.inSlot) ?? found[0];
  if (!m.healthSet && chosen) m.healthSet = chosen.healthSet;
}

/** "check X", "is X ok", "health set X", "X on server1", "X server1": where a health set is asked about. */
function inHealthSetSlot(tokens: readonly Token[], first: number, last: number, m: Matched): boolean {
  const prev = tokens[first - 1]?.lower;
  const next = tokens[last + 1]?.lower;
  const nextIsServer = m.consumed.has(last + 1) && m.server !== undefined && next !== undefined && !PREPOSITIONS.has(next);
  return (prev !== undefined && (LEADS.has(prev) || HEALTH_SET_WORDS.has(prev))) || (next !== undefined && PREPOSITIONS.has(next) && tokens[last + 2] !== undefined) || nextIsServer;
}

function matchItems(tokens: readonly Token[], vocab: Vocabulary, m: Matched): void {
  for (const hit of findItems(tokens, itemIndex(vocab.items), m.consumed)) {
    m.consumed.add(hit.token);
    if (hit.healthSets.length === 1) m.healthSet ??= hit.healthSets[0]!;
    else m.shared.push(hit);
  }
}

function reportSharedItems(tokens: readonly Token[], m: Matched): void {
  if (m.healthSet) return;
  for (const s of m.shared) m.problems.push({ kind: 'unknown-health-set', text: tokens[s.token]!.text, suggestions: s.healthSets });
}

function serverSuggestions(word: string, vocab: Vocabulary): string[] {
  const names = new Map(vocab.servers.map((s) => [s.name.toLowerCase(), s.name]));
  const first = word.split('.')[0]!;
  const viaLabel = names.get(first);
  if (viaLabel) return [vocab.servers.find((s) => s.name === viaLabel)!.fqdn];
  return nearest(first, names, 3, Math.max(2, typoBudget(first)));
}

/** Last parts of dotted health-set names (proxy, protocol, ...), from the vocabulary: "Foo.Proxy" is a health set, not a host. */
function healthSetSuffixes(vocab: Vocabulary): Set<string> {
  return new Set(vocab.healthSets.filter((h) => h.name.includes('.')).map((h) => h.name.toLowerCase().split('.').pop()!));
}

function findUnknownServers(tokens: readonly Token[], vocab: Vocabulary, m: Matched): void {
  if (m.server) return;
  const suffixes = healthSetSuffixes(vocab);
  tokens.forEach((t, i) => {
    if (m.consumed.has(i) || KEYWORDS.has(t.lower)) return;
    const afterPreposition = i > 0 && PREPOSITIONS.has(tokens[i - 1]!.lower) && t.lower.length >= 2;
    const namedAsHealthSet = (i > 0 && HEALTH_SET_WORDS.has(tokens[i - 1]!.lower)) || suffixes.has(t.lower.split('.').pop()!);
    const looksLikeServer = SERVERISH.test(t.lower) || (FQDNISH.test(t.lower) && /[a-z]/.test(t.lower) && !namedAsHealthSet);
    if (!looksLikeServer && !afterPreposition) return;
    m.consumed.add(i);
    m.problems.push({ kind: 'unknown-server', text: t.text, suggestions: serverSuggestions(t.lower, vocab) });
  });
}

function findUnknownHealthSets(tokens: readonly Token[], vocab: Vocabulary, m: Matched): void {
  if (m.healthSet) return;
  const keys = new Map<string, string>();
  // First come, first kept: runbook health sets precede known-only ones in the vocabulary.
  const keep = (key: string, name: string) => void (keys.has(key) || keys.set(key, name));
  for (const hs of vocab.healthSets) {
    keep(hs.name.toLowerCase(), hs.name);
    for (const a of hs.aliases) keep(a.toLowerCase().replace(/\s+/g, ''), hs.name);
  }
  // A mistyped monitor or probe name suggests its health set ("OwaCptMonitor": OWA).
  for (const [name, sets] of itemIndex(vocab.items)) if (sets.length === 1) keep(name, sets[0]!);
  tokens.forEach((t, i) => {
    if (m.consumed.has(i) || KEYWORDS.has(t.lower) || t.lower.length < 3 || /^\d+$/.test(t.lower)) return;
    const suggestions = nearest(t.lower, keys);
    const prev = tokens[i - 1]?.lower;
    const next = tokens[i + 1]?.lower;
    // "wrong with FOO", "check FOO", "FOO on server1": the slot where a health set goes.
    const inSlot =
      (prev !== undefined && (LEADS.has(prev) || HEALTH_SET_WORDS.has(prev))) || (next !== undefined && PREPOSITIONS.has(next) && m.server !== undefined) || looksLikeItem(t);
    if (suggestions.length === 0 && !inSlot) return;
    m.consumed.add(i);
    m.problems.push({ kind: 'unknown-health-set', text: t.text, suggestions });
  });
}

function decideIntent(tokens: readonly Token[], m: Matched): Intent {
  const lower = tokens.map((t) => t.lower);
  const has = (words: ReadonlySet<string>) => lower.some((w) => words.has(w));
  const joined = lower.join(' ');
  const target = m.healthSet !== undefined || m.server !== undefined;
  const unresolved = m.problems.length > 0;
  if (tokens.length === 0) return { kind: 'help' };
  if (!target && (has(HELP) || HELP_PHRASES.some((p) => joined.includes(p)))) return { kind: 'help' };
  if (!m.healthSet && has(CANCEL)) return { kind: 'cancel' };
  const followUpStart = FOLLOW_UPS.has(lower[0]!) || joined.startsWith('what about') || joined.startsWith('how about');
  if (!target && !unresolved && has(RERUN)) return { kind: 'rerun' };
  if (!target && !unresolved && has(STATUS)) return { kind: 'status' };
  if (target || unresolved) {
    // "and on server2?" or "rerun on server2" keep the thread's health set; "status server1" and
    // "check server1" look at the whole server.
    const followUp = !m.healthSet && (followUpStart || has(RERUN));
    return {
      kind: 'diagnose',
      ...(m.healthSet ? { healthSet: m.healthSet } : {}),
      ...(m.server ? { server: m.server } : {}),
      ...(followUp ? { followUp: true } : {}),
    };
  }
  // "is it still broken?" in a thread: the same health set on the same server.
  if (has(TROUBLE)) return { kind: 'diagnose', followUp: true };
  return { kind: 'unknown' };
}

export function parseQuestion(text: string, vocab: Vocabulary, options: ParseOptions = {}): ParsedQuestion {
  const tokens = tokenise(text);
  const locale = detectLocale(tokens, text, options.localeHint);
  const m: Matched = { problems: [], consumed: new Set(), shared: [] };
  matchServers(tokens, vocab, m);
  matchItems(tokens, vocab, m);
  matchHealthSet(tokens, vocab, m);
  reportSharedItems(tokens, m);
  findUnknownServers(tokens, vocab, m);
  findUnknownHealthSets(tokens, vocab, m);
  return { intent: decideIntent(tokens, m), locale, problems: m.problems };
}
