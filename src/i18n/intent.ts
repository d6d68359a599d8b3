/**
 * Reads the question parser's lexicons, `locales/<lng>/intent.json`, for the languages Healthbot
 * speaks. They are data, not texts: word lists the translator never sees. A missing or malformed
 * file stops the start with the file named, rather than a parser that silently ignores a language.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../core/index.ts';
import { ConfigError, SUPPORTED_LOCALES } from '../core/index.ts';
import type { Lexicon, QuestionParser } from '../core/intent/index.ts';
import { createQuestionParser, lexiconOf } from '../core/intent/index.ts';

/** The namespace that holds the lexicon in every `locales/<lng>/`. */
export const INTENT_NAMESPACE = 'intent';

/** The lexicons of `locales` (the supported ones unless told), in that order. */
export function readLexicons(localesDir: string, locales: readonly Locale[] = SUPPORTED_LOCALES): Map<Locale, Lexicon> {
  const out = new Map<Locale, Lexicon>();
  const problems: string[] = [];
  for (const lng of locales) {
    const file = join(localesDir, lng, `${INTENT_NAMESPACE}.json`);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const read = lexiconOf(data, file);
    if ('problems' in read) problems.push(...read.problems);
    else out.set(lng, read.lexicon);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

/** The parser for the supported languages, from their intent files. */
export function createParserFrom(localesDir: string): QuestionParser {
  return createQuestionParser(readLexicons(localesDir));
}
