/**
 * Turns what a chat platform delivers into plain words. Slack wraps mentions and links in angle
 * brackets (`<@U123>`, `<http://server1.contoso.com|server1.contoso.com>`), Teams wraps mentions in
 * `<at>` tags, and people add punctuation, smart quotes, emphasis, full-width letters (ＩＭＡＰ)
 * and accents they may or may not type. None of that carries meaning.
 */
import { segmentRun } from './segment.ts';

/** Replaces Slack's `<url|label>` by its label and drops mentions of users, groups and channels. */
function stripMarkup(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[@!#][^>]*>/g, ' ')
    .replace(/<([^>|]+)\|([^>]*)>/g, (_m, _url: string, label: string) => ` ${label} `)
    .replace(/<((?:https?|mailto):[^>]+)>/gi, (_m, url: string) => ` ${url.replace(/^(?:https?:\/\/|mailto:)/i, '')} `)
    .replace(/(?:^|\s)@[\w.-]+/g, ' ');
}

export interface Token {
  /** As typed (after width folding), for messages ("did you mean IMAP?" quotes "IMPA", not "impa"). */
  readonly text: string;
  /** Lower case without accents: "Réplication" and "replication" compare equal. */
  readonly lower: string;
}

/**
 * Lower case, width folded (ＤＡＧ → dag, for aliases as written in a runbook), accents dropped
 * ("é" → "e", "ü" → "u"); Japanese voicing marks are not accents and stay.
 */
export function fold(word: string): string {
  const lower = word.toLowerCase();
  // Plain ASCII, the common case, needs no decomposition.
  return !/[^ -~]/.test(lower)
    ? lower
    : lower
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .normalize('NFC');
}

export const APOSTROPHES = `'’‘\`´`;

export interface TokeniseRules {
  /** Elisions at a word start ("l'", "qu'"): the apostrophe becomes a space, not nothing. */
  readonly elision?: RegExp;
  /** Folded words to find inside runs of Japanese text, where there are no spaces. */
  readonly dictionary?: ReadonlySet<string>;
  /** The longest word of the dictionary, in characters. */
  readonly longest?: number;
}

/** Katakana, or hiragana and kanji: runs of one of them are cut apart from Latin letters and digits. */
const RUNS =
  /[\u30a0-\u30ff\u31f0-\u31ff]+|[\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]+|[^\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]+/gu;
export const JAPANESE = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]/u;

/** A word cut where its script changes, as the tokeniser cuts text: "ディスク容量" is two words. */
export function scriptRuns(word: string): string[] {
  return JAPANESE.test(word) ? (word.match(RUNS) ?? []) : [word];
}

/**
 * Tokens. Dots, hyphens and underscores stay inside a token (FQDNs, `IMAP.Proxy`, `ex-01`);
 * everything else that is not a letter or a digit separates tokens, and so does a change of
 * script ("server1のIMAP" is three words). Japanese runs are cut further at the dictionary's words.
 */
export function tokenise(text: string, rules: TokeniseRules = {}): Token[] {
  let plain = stripMarkup(text)
    .normalize('NFKC')
    .replace(/https?:\/\//gi, ' ');
  if (rules.elision) plain = plain.replace(rules.elision, '$1$2 ');
  plain = plain.replace(/['’‘`´]/g, '');
  const tokens: Token[] = [];
  for (const chunk of plain.split(/[^\p{L}\p{N}._-]+/u)) {
    for (const run of scriptRuns(chunk)) {
      const words = JAPANESE.test(run) ? segmentRun(run, rules.dictionary, rules.longest ?? 0) : [run];
      for (const word of words) {
        const t = word.replace(/^[._-]+|[._-]+$/g, '');
        if (t.length > 0) tokens.push({ text: t, lower: fold(t) });
      }
    }
  }
  return tokens;
}

/** Splits a token further for matching health-set names: `imap.proxy` and `imap-proxy` are two words. */
export function subwords(token: string): string[] {
  return token.split(/[._-]+/).filter((w) => w.length > 0);
}
