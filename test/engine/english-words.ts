/**
 * Finds English left in a card rendered in another language. The English words are taken from the
 * English texts themselves (every namespace but the parser's word lists), less every word the
 * other language's texts also use ("Server", "Monitor", "Exchange"): what remains are words only an
 * English text would put on a card ("failed", "results", "switched", "requester"). A card's words
 * are compared with those; names Exchange and Windows write (MSExchangeIMAP4BE, ServerWideOffline,
 * IMAP.Proxy, DB01) and preformatted blocks (an error Exchange wrote) are not words of the card.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Card } from '../../src/core/index.ts';
import { HEALTH_SET_INVENTORY } from '../../src/exchange/lab/health-set-inventory.ts';

const localesDir = resolve(import.meta.dirname, '../../locales');

function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(texts);
  return [];
}

function localeWords(lng: string): Set<string> {
  const words = new Set<string>();
  for (const file of readdirSync(join(localesDir, lng)).filter((f) => f.endsWith('.json') && f !== 'intent.json')) {
    for (const text of texts(JSON.parse(readFileSync(join(localesDir, lng, file), 'utf8')))) {
      // Quoted words are literal (search the log for "failed"), not words of the language.
      const own = text
        .replace(/\{\{[^}]*\}\}/g, ' ')
        .replace(/"[^"]*"|`[^`]*`|«[^»]*»|„[^“]*“|“[^”]*”|「[^」]*」/g, ' ');
      for (const m of own.matchAll(/\p{L}+/gu)) words.add(m[0].toLowerCase());
    }
  }
  return words;
}

/**
 * Values Exchange and Windows write, which the cards show as written in every language (a
 * component's state, a requester, a policy, a status): case-sensitive, so "Failed" as Exchange's
 * status passes while "failed" in an English sentence does not.
 */
const EXCHANGE_TOKENS = new Set([
  'Active',
  'Inactive',
  'Draining',
  'Maintenance',
  'Functional',
  'Unrestricted',
  'Blocked',
  'Healthy',
  'Unhealthy',
  'Degraded',
  'Disabled',
  'Repairing',
  'Mounted',
  'Failed',
  'Succeeded',
  'Suspended',
  'Running',
  'Stopped',
  'Started',
  'Paused',
  'Up',
  'Enabled',
  'Windows',
  'Exchange',
  'Healthbot',
  'Managed',
  'Availability',
]);

/** Health sets are Exchange's names too (Memory, Network, Store): a list of them is not English. */
for (const { healthSet } of HEALTH_SET_INVENTORY) EXCHANGE_TOKENS.add(healthSet);

/** Words of the English texts that the language's own texts never use. */
export function englishOnlyWords(lng: string): Set<string> {
  const own = localeWords(lng);
  return new Set([...localeWords('en')].filter((w) => w.length >= 4 && /^[a-z]+$/.test(w) && !own.has(w)));
}

/** The card's own texts: every text but preformatted blocks (what Exchange or Windows wrote). */
function cardParts(card: Card): string[] {
  return [
    card.title,
    card.context ?? '',
    ...card.facts.flatMap((f) => [f.label, f.value]),
    ...card.sections.flatMap((s) => (s.kind === 'code' ? [] : s.kind === 'list' ? s.items : [s.text])),
    ...card.actions.flatMap((a) => [a.label, a.confirm?.title ?? '', a.confirm?.text ?? '']),
  ];
}

/** The card's own words: runs of Latin letters (with the marks names carry); Japanese text around them separates them too. */
export function cardWords(card: Card, own: (part: string) => string = (part) => part): string[] {
  return cardParts(card)
    .map(own)
    .flatMap((text) => text.split(/[^\p{Script=Latin}\d._\\/@'’\-→←]+/u))
    .filter((word) => word !== '');
}

/** A token that is a name Exchange or Windows wrote, not a word: digits, dots, slashes, inner capitals. */
function isName(token: string): boolean {
  return /[\d._\\/@\-→←]/.test(token) || /\p{L}\p{Lu}/u.test(token);
}

/**
 * Texts Exchange and Windows write, as the lab plays them (a probe's error, an exception, a queue's
 * last error, a replication check's message): shown as written wherever they appear, so they are
 * taken out of a card's text before it is searched. From the scenarios' quoted strings and block
 * lines, and from the lab's own sentences (`${...}` in them matches anything).
 */
function writtenByExchange(): RegExp[] {
  const root = resolve(import.meta.dirname, '../..');
  const scenarios = join(root, 'config/lab-scenarios');
  const lab = join(root, 'src/exchange/lab');
  const written: string[] = [];
  for (const f of readdirSync(scenarios).filter((name) => name.endsWith('.yaml'))) {
    for (const line of readFileSync(join(scenarios, f), 'utf8').split('\n')) {
      for (const m of line.matchAll(/"([^"]*)"|'([^']*)'/g))
        if ((m[1] ?? m[2]!).length >= 15) written.push(m[1] ?? m[2]!);
      const bare = line.trim().replace(/^(-\s*)?(\w+:\s*)?/, '');
      if (bare.length > 20 && !/[{}]/.test(bare)) written.push(bare.replace(/^["']|["']$/g, ''));
    }
  }
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = written.map((text) => new RegExp(escape(text), 'g'));
  // Only the files that play Exchange's own answers: the lab's outcome details elsewhere must stay findable.
  for (const f of ['families.ts', 'evidence.ts']) {
    for (const m of readFileSync(join(lab, f), 'utf8').matchAll(/[`'"]([^`'"\n]{15,})[`'"]/g)) {
      // A sentence cut at a nested template ends where its first value begins.
      const parts = m[1]!
        .replace(/\$\{[^}]*$/, '')
        .split(/\$\{[^}]*\}/)
        .map(escape);
      patterns.push(new RegExp(parts.join('.*?'), 'g'));
    }
  }
  return patterns;
}

const WRITTEN = writtenByExchange();

/** A card part less what Exchange wrote in it. */
function ownText(part: string): string {
  return WRITTEN.reduce((text, pattern) => text.replace(pattern, ' '), part);
}

/** A text key shown instead of its text (`precondition.copyBehind`, `checks:error.timeout`): English by another name. */
const KEY =
  /\b(?:[a-z]+:[a-z][\w-]*\.[\w.-]+|(?:precondition|errors|outcome|op|value|checks|evidence|timeline|reboot|step|approval|status|result)\.[a-z][\w.-]*)/g;

/** The English words (and text keys) found on a card. */
export function englishOn(card: Card, english: ReadonlySet<string>): string[] {
  const found = cardParts(card).flatMap((text) => [...ownText(text).matchAll(KEY)].map((m) => m[0]));
  for (const raw of cardWords(card, ownText)) {
    const token = raw.replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, '');
    if (!token || isName(token) || EXCHANGE_TOKENS.has(token)) continue;
    if (token.split(/'/).some((part) => english.has(part.toLowerCase()))) found.push(raw);
  }
  return found;
}
