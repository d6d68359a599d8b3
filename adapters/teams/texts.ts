/**
 * The few texts the Teams adapter says itself, beside the engine's already-localised cards: the
 * banner on a card answered to one person, the "working" line when the engine is still busy when
 * Teams wants its answer, and the replies to "alerts here". The texts live in
 * `locales/<lng>/teams.json`; this module only names the keys (test/i18n checks each exists in
 * every language) and picks the person's language through core's one locale path.
 */
import type { TextTables } from '../../src/core/index.ts';
import { translateFrom } from '../../src/core/index.ts';

export type TextKey =
  'onlyYou' | 'working' | 'received' | 'failed' | 'notOurs' | 'alertsHere' | 'alertsNotAllowed' | 'alertsFailed';
/** `locales/<lng>/teams.json`, per language. */
export type TeamsTexts = TextTables;
export type Say = (key: TextKey, vars?: Readonly<Record<string, string>>) => string;

export function textsFor(locale: string | undefined, tables: TeamsTexts): Say {
  return translateFrom(tables, locale);
}
