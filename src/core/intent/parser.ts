/**
 * A question parser over the lexicons the composition root read from `locales/<lng>/intent.json`.
 * The lexicons are compiled once here; a vocabulary's Japanese aliases join the words Japanese
 * text is cut at, once per vocabulary.
 */
import type { Locale } from '../ports/i18n.ts';
import { compileLexicons } from './compiled.ts';
import type { Lexicon } from './lexicon.ts';
import type { ParsedQuestion, ParseOptions, Vocabulary } from './parse.ts';
import { parseWith } from './parse.ts';
import type { VocabularyIndex } from './vocabulary-index.ts';
import { indexVocabulary } from './vocabulary-index.ts';

export interface QuestionParser {
  /** The languages it understands, the fallback first. */
  readonly locales: readonly Locale[];
  parse(text: string, vocab: Vocabulary, options?: ParseOptions): ParsedQuestion;
}

interface Dictionary {
  readonly words: ReadonlySet<string>;
  readonly longest: number;
}

const dictionaryOf = (words: Iterable<string>): Dictionary => {
  const set = new Set(words);
  return { words: set, longest: Math.max(0, ...[...set].map((w) => [...w].length)) };
};

/** `lexicons` in order, the fallback language first (the order of SUPPORTED_LOCALES). */
export function createQuestionParser(lexicons: ReadonlyMap<Locale, Lexicon>): QuestionParser {
  if (lexicons.size === 0) throw new Error('a question parser needs at least one lexicon');
  const compiled = compileLexicons(lexicons);
  const base = dictionaryOf(compiled.japaneseWords);
  const perIndex = new WeakMap<VocabularyIndex, Dictionary>();
  const dictionaryFor = (vocab: Vocabulary): Dictionary => {
    const ix = indexVocabulary(vocab);
    let d = perIndex.get(ix);
    if (!d) {
      d = ix.japaneseAliases.length === 0 ? base : dictionaryOf([...base.words, ...ix.japaneseAliases]);
      perIndex.set(ix, d);
    }
    return d;
  };
  return {
    locales: [...lexicons.keys()],
    parse: (text, vocab, options = {}) => parseWith(compiled, dictionaryFor(vocab), text, vocab, options),
  };
}
