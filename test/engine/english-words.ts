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

/** Words of the English texts that the language's own texts never use. */
export function englishOnlyWords(lng: string): Set<string> {
  const own = localeWords(lng);
  return new Set([...localeWords('en')].filter((w) => w.length >= 4 && /^[a-z]+$/.test(w) && !own.has(w)));
}

/** The card's own words: every text but preformatted blocks. */
export function cardWords(card: Card, verbatim: (part: string) => boolean = () => false): string[] {
  const parts = [
    card.title,
    card.context ?? '',
    ...card.facts.flatMap((f) => [f.label, f.value]),
    ...card.sections.flatMap((s) => (s.kind === 'code' ? [] : s.kind === 'list' ? s.items : [s.text])),
    ...card.actions.flatMap((a) => [a.label, a.confirm?.title ?? '', a.confirm?.text ?? '']),
  ];
  // Words are runs of Latin letters (with the marks names carry): Japanese text around them separates them too.
  return parts
    .filter((text) => text.trim() === '' || !verbatim(text))
    .flatMap((text) => text.split(/[^\p{Script=Latin}\d._\\/@'’\-→←]+/u))
    .filter((word) => word !== '');
}

/** A token that is a name Exchange or Windows wrote, not a word: digits, dots, slashes, inner capitals. */
function isName(token: string): boolean {
  return /[\d._\\/@\-→←]/.test(token) || /\p{L}\p{Lu}/u.test(token);
}

/**
 * Texts Exchange and Windows wrote in the lab's scenarios (a probe's error, an exception): shown as
 * written wherever they appear, even in a list, so a card part that is one of them is not searched.
 */
function writtenByExchange(): string[] {
  const dir = resolve(import.meta.dirname, '../../config/lab-scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .map((line) =>
      line
        .trim()
        .replace(/^(-|error:|exception:|lastError:)\s*/, '')
        .replace(/^["']|["']$/g, ''),
    )
    .filter((line) => line.length > 20);
}

const WRITTEN = writtenByExchange();

/** The English words found on a card, with the text around each. */
export function englishOn(card: Card, english: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const raw of cardWords(card, (part) => WRITTEN.some((line) => line.includes(part.trim())))) {
    const token = raw.replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, '');
    if (!token || isName(token) || EXCHANGE_TOKENS.has(token)) continue;
    if (token.split(/'/).some((part) => english.has(part.toLowerCase()))) found.push(raw);
  }
  return found;
}
