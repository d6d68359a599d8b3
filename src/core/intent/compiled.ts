/**
 * The lexicons turned into what matching needs, once per parser: folded word sets over every
 * language (people mix languages: "check IMAP auf server1"), and per language only what decides
 * the reply language (markers, letters, scripts).
 */
import type { Locale } from '../ports/i18n.ts';
import type { Lexicon } from './lexicon.ts';
import { APOSTROPHES, fold, JAPANESE } from './normalise.ts';

export interface LanguageSigns {
  readonly locale: Locale;
  readonly markers: ReadonlySet<string>;
  /** Letters only this language uses, or undefined. */
  readonly letters?: RegExp;
  /** The language's own script (Japanese kana): its presence decides. */
  readonly script?: RegExp;
}

export interface CompiledLexicons {
  readonly languages: readonly LanguageSigns[];
  readonly help: ReadonlySet<string>;
  readonly helpPhrases: readonly string[];
  readonly cancel: ReadonlySet<string>;
  readonly rerun: ReadonlySet<string>;
  readonly status: ReadonlySet<string>;
  readonly trouble: ReadonlySet<string>;
  readonly prepositions: ReadonlySet<string>;
  readonly leads: ReadonlySet<string>;
  readonly healthSetWords: ReadonlySet<string>;
  readonly followUps: readonly string[];
  readonly followUpEnds: readonly string[];
  /** Every word above and the filler: never taken for an unknown health set or server. */
  readonly keywords: ReadonlySet<string>;
  readonly elision?: RegExp;
  /** The lexicons' Japanese words, for cutting Japanese text into words. */
  readonly japaneseWords: ReadonlySet<string>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileLexicons(lexicons: ReadonlyMap<Locale, Lexicon>): CompiledLexicons {
  const all = [...lexicons.values()];
  const union = (pick: (l: Lexicon) => readonly string[]): Set<string> =>
    new Set(all.flatMap((l) => pick(l).map(fold)));
  const languages: LanguageSigns[] = [...lexicons].map(([locale, l]) => ({
    locale,
    markers: new Set(l.markers.map(fold)),
    ...(l.letters.length > 0 ? { letters: new RegExp(`[${l.letters.map(escape).join('')}]`, 'iu') } : {}),
    ...(l.scripts.length > 0
      ? { script: new RegExp(`[${l.scripts.map((s) => `\\p{Script=${s}}`).join('')}]`, 'u') }
      : {}),
  }));
  const lists = {
    help: union((l) => l.help),
    cancel: union((l) => l.cancel),
    rerun: union((l) => l.rerun),
    status: union((l) => l.status),
    trouble: union((l) => l.trouble),
    prepositions: union((l) => l.serverPrepositions),
    leads: union((l) => l.healthSetLeads),
    healthSetWords: union((l) => l.healthSetWords),
  };
  const followUps = [...union((l) => l.followUps)];
  const followUpEnds = [...union((l) => l.followUpEnds)];
  const helpPhrases = [...union((l) => l.helpPhrases)];
  const keywords = new Set([
    ...Object.values(lists).flatMap((s) => [...s]),
    ...union((l) => l.filler),
    ...followUps,
    ...followUpEnds,
  ]);
  const elisions = [...union((l) => l.elisions)];
  const everyWord = [...keywords, ...helpPhrases, ...languages.flatMap((l) => [...l.markers])];
  return {
    languages,
    ...lists,
    helpPhrases,
    followUps,
    followUpEnds,
    keywords,
    ...(elisions.length > 0
      ? {
          elision: new RegExp(
            `(^|[^\\p{L}\\p{N}])(${elisions.map(escape).join('|')})[${APOSTROPHES}](?=\\p{L})`,
            'giu',
          ),
        }
      : {}),
    japaneseWords: new Set(everyWord.filter((w) => JAPANESE.test(w))),
  };
}
