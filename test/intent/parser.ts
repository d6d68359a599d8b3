/**
 * The parser the intent tests use: every language that has an intent file under locales/, read
 * directly (the product reads only SUPPORTED_LOCALES; languages whose texts are still missing are
 * parsed here all the same).
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../../src/core/index.ts';
import type { QuestionParser } from '../../src/core/intent/index.ts';
import { createQuestionParser } from '../../src/core/intent/index.ts';
import { readLexicons } from '../../src/i18n/index.ts';

export const LOCALES_DIR = join(import.meta.dirname, '../../locales');

/** Every language with a `locales/<lng>/intent.json`, English (the fallback) first. */
export const INTENT_LANGUAGES = readdirSync(LOCALES_DIR)
  .filter((lng) => existsSync(join(LOCALES_DIR, lng, 'intent.json')))
  .sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b))) as Locale[];

export const allLanguagesParser = (): QuestionParser =>
  createQuestionParser(readLexicons(LOCALES_DIR, INTENT_LANGUAGES));
