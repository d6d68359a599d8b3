/**
 * Understands what on-call people type: "what's wrong with IMAP on server1?", "imap broken on
 * server1??", "was ist mit IMAP auf server1 los?", "qu'est-ce qui ne va pas avec l'IMAP sur
 * server1 ?", "¿qué le pasa a IMAP en server1?", "server1のIMAPはどうなっていますか？",
 * "and on server2?", "status", "help". The words come from the lexicons (locales/<lng>/intent.json).
 *
 * Only names from the vocabulary come out as a server or a health set; anything that looks like
 * one but is not known becomes a problem with the nearest known names, so nothing unknown ever
 * reaches a command.
 */
import { nearest, typoBudget } from './distance.ts';
import type { Locale } from '../ports/i18n.ts';
import type { CompiledLexicons } from './compiled.ts';
import type { Token } from './normalise.ts';
import { JAPANESE, subwords, tokenise } from './normalise.ts';
import { findItems, looksLikeItem } from './items.ts';
import type { Vocabulary, VocabularyIndex } from './vocabulary-index.ts';
import { indexVocabulary } from './vocabulary-index.ts';

export type { Vocabulary } from './vocabulary-index.ts';

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

/**
 * The reply language: a language's own script decides (Japanese kana), then the language with the
 * most marker words and letters; a tie or no sign keeps the platform's language (`hint`).
 */
export function detectLocale(c: CompiledLexicons, tokens: readonly Token[], text: string, hint?: string): Locale {
  const scripted = c.languages.find((l) => l.script?.test(text));
  if (scripted) return scripted.locale;
  const score = (l: CompiledLexicons['languages'][number]) =>
    tokens.filter((t) => l.markers.has(t.lower)).length + (l.letters?.test(text) ? 1 : 0);
  const scores = c.languages.map((l) => ({ locale: l.locale, score: score(l) })).sort((a, b) => b.score - a.score);
  const [first, second] = scores;
  if (first && first.score > 0 && first.score > (second?.score ?? 0)) return first.locale;
  const hinted = hint?.toLowerCase().split(/[-_]/)[0];
  return c.languages.find((l) => l.locale === hinted)?.locale ?? c.languages[0]!.locale;
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

function matchServers(tokens: readonly Token[], ix: VocabularyIndex, m: Matched): void {
  tokens.forEach((t, i) => {
    const known = ix.servers.get(t.lower);
    if (known && !m.server) {
      m.server = known;
      m.consumed.add(i);
    } else if (known) m.consumed.add(i);
  });
}

function matchHealthSet(c: CompiledLexicons, tokens: readonly Token[], ix: VocabularyIndex, m: Matched): void {
  const words: { word: string; token: number }[] = [];
  tokens.forEach((t, i) => {
    if (!m.consumed.has(i)) for (const w of subwords(t.lower)) words.push({ word: w, token: i });
  });
  const found: { healthSet: string; inSlot: boolean }[] = [];
  for (let start = 0; start < words.length; start++) {
    const hit = ix.phrases.find((p) => p.words.every((w, k) => words[start + k]?.word === w));
    if (!hit) continue;
    const span = words.slice(start, start + hit.words.length);
    const used = [...new Set(span.map((w) => w.token))];
    // A phrase must cover whole tokens: "imap" inside "imap.foo" is not IMAP.
    const whole = used.every((ti) => span.filter((w) => w.token === ti).length === subwords(tokens[ti]!.lower).length);
    if (!whole) continue;
    found.push({ healthSet: hit.healthSet, inSlot: inHealthSetSlot(c, tokens, used[0]!, used[used.length - 1]!, m) });
    for (const ti of used) m.consumed.add(ti);
    start += hit.words.length - 1;
  }
  // Several names ("free/busy lookups fail, is EWS ok on server1"): the one in the slot where a
  // health set goes is the question; the others describe the symptom.
  const chosen = found.find((f) => f.inSlot) ?? found[0];
  if (!m.healthSet && chosen) m.healthSet = chosen.healthSet;
}

/** "check X", "is X ok", "health set X", "X on server1", "X server1": where a health set is asked about. */
function inHealthSetSlot(
  c: CompiledLexicons,
  tokens: readonly Token[],
  first: number,
  last: number,
  m: Matched,
): boolean {
  const prev = tokens[first - 1]?.lower;
  const next = tokens[last + 1]?.lower;
  const nextIsServer =
    m.consumed.has(last + 1) && m.server !== undefined && next !== undefined && !c.prepositions.has(next);
  return (
    (prev !== undefined && (c.leads.has(prev) || c.healthSetWords.has(prev))) ||
    (next !== undefined && c.prepositions.has(next) && tokens[last + 2] !== undefined) ||
    nextIsServer
  );
}

function matchItems(tokens: readonly Token[], ix: VocabularyIndex, m: Matched): void {
  for (const hit of findItems(tokens, ix.items, m.consumed)) {
    m.consumed.add(hit.token);
    if (hit.healthSets.length === 1) m.healthSet ??= hit.healthSets[0]!;
    else m.shared.push(hit);
  }
}

function reportSharedItems(tokens: readonly Token[], m: Matched): void {
  if (m.healthSet) return;
  for (const s of m.shared)
    m.problems.push({ kind: 'unknown-health-set', text: tokens[s.token]!.text, suggestions: s.healthSets });
}

function serverSuggestions(word: string, vocab: Vocabulary): string[] {
  const names = new Map(vocab.servers.map((s) => [s.name.toLowerCase(), s.name]));
  const first = word.split('.')[0]!;
  const viaLabel = names.get(first);
  if (viaLabel) return [vocab.servers.find((s) => s.name === viaLabel)!.fqdn];
  return nearest(first, names, 3, Math.max(2, typoBudget(first)));
}

function findUnknownServers(
  c: CompiledLexicons,
  tokens: readonly Token[],
  vocab: Vocabulary,
  ix: VocabularyIndex,
  m: Matched,
): void {
  if (m.server) return;
  tokens.forEach((t, i) => {
    if (m.consumed.has(i) || c.keywords.has(t.lower)) return;
    // Server names are host names: a Japanese word after "サーバー" is not one.
    const afterPreposition =
      i > 0 && c.prepositions.has(tokens[i - 1]!.lower) && t.lower.length >= 2 && !JAPANESE.test(t.lower);
    const namedAsHealthSet =
      (i > 0 && c.healthSetWords.has(tokens[i - 1]!.lower)) || ix.suffixes.has(t.lower.split('.').pop()!);
    const looksLikeServer =
      SERVERISH.test(t.lower) || (FQDNISH.test(t.lower) && /[a-z]/.test(t.lower) && !namedAsHealthSet);
    if (!looksLikeServer && !afterPreposition) return;
    m.consumed.add(i);
    m.problems.push({ kind: 'unknown-server', text: t.text, suggestions: serverSuggestions(t.lower, vocab) });
  });
}

function findUnknownHealthSets(c: CompiledLexicons, tokens: readonly Token[], ix: VocabularyIndex, m: Matched): void {
  if (m.healthSet) return;
  tokens.forEach((t, i) => {
    if (m.consumed.has(i) || c.keywords.has(t.lower) || t.lower.length < 3 || /^\d+$/.test(t.lower)) return;
    const suggestions = nearest(t.lower, ix.typoKeys);
    const prev = tokens[i - 1]?.lower;
    const next = tokens[i + 1]?.lower;
    // "wrong with FOO", "check FOO", "FOO on server1": the slot where a health set goes.
    const inSlot =
      (prev !== undefined && (c.leads.has(prev) || c.healthSetWords.has(prev))) ||
      (next !== undefined && c.prepositions.has(next) && m.server !== undefined) ||
      looksLikeItem(t);
    if (suggestions.length === 0 && !inSlot) return;
    m.consumed.add(i);
    m.problems.push({ kind: 'unknown-health-set', text: t.text, suggestions });
  });
}

/**
 * "and on server2?", "what about server2", "¿y en server2?"; and, when nothing but names comes
 * before it, an ending: "server2 too?", "server2は？" ("server1の状態は？" asks about the server).
 */
function isFollowUp(c: CompiledLexicons, tokens: readonly Token[], joined: string, m: Matched): boolean {
  if (c.followUps.some((p) => joined === p || joined.startsWith(`${p} `))) return true;
  const last = tokens.length - 1;
  const onlyNames = tokens.every((_t, i) => i === last || m.consumed.has(i));
  return onlyNames && m.problems.length === 0 && tokens.length > 1 && c.followUpEnds.includes(tokens[last]!.lower);
}

function decideIntent(c: CompiledLexicons, tokens: readonly Token[], m: Matched): Intent {
  const lower = tokens.map((t) => t.lower);
  const has = (words: ReadonlySet<string>) => lower.some((w) => words.has(w));
  const joined = lower.join(' ');
  const target = m.healthSet !== undefined || m.server !== undefined;
  const unresolved = m.problems.length > 0;
  if (tokens.length === 0) return { kind: 'help' };
  if (!target && (has(c.help) || c.helpPhrases.some((p) => joined.includes(p)))) return { kind: 'help' };
  if (!m.healthSet && has(c.cancel)) return { kind: 'cancel' };
  if (!target && !unresolved && has(c.rerun)) return { kind: 'rerun' };
  if (!target && !unresolved && has(c.status)) return { kind: 'status' };
  if (target || unresolved) {
    // "and on server2?" or "rerun on server2" keep the thread's health set; "status server1" and
    // "check server1" look at the whole server.
    const followUp = !m.healthSet && (isFollowUp(c, tokens, joined, m) || has(c.rerun));
    return {
      kind: 'diagnose',
      ...(m.healthSet ? { healthSet: m.healthSet } : {}),
      ...(m.server ? { server: m.server } : {}),
      ...(followUp ? { followUp: true } : {}),
    };
  }
  // "is it still broken?" in a thread: the same health set on the same server.
  if (has(c.trouble)) return { kind: 'diagnose', followUp: true };
  return { kind: 'unknown' };
}

export function parseWith(
  c: CompiledLexicons,
  dictionary: { words: ReadonlySet<string>; longest: number },
  text: string,
  vocab: Vocabulary,
  options: ParseOptions,
): ParsedQuestion {
  const tokens = tokenise(text, {
    ...(c.elision ? { elision: c.elision } : {}),
    dictionary: dictionary.words,
    longest: dictionary.longest,
  });
  const locale = detectLocale(c, tokens, text, options.localeHint);
  const ix = indexVocabulary(vocab);
  const m: Matched = { problems: [], consumed: new Set(), shared: [] };
  matchServers(tokens, ix, m);
  matchItems(tokens, ix, m);
  matchHealthSet(c, tokens, ix, m);
  reportSharedItems(tokens, m);
  findUnknownServers(c, tokens, vocab, ix, m);
  findUnknownHealthSets(c, tokens, ix, m);
  return { intent: decideIntent(c, tokens, m), locale, problems: m.problems };
}
