/** The adapter's own texts, from locales/<lng>/teams.json, through core's one locale path. */
import { describe, expect, it } from 'vitest';
import type { TextKey } from '../../adapters/teams/texts.ts';
import { textsFor } from '../../adapters/teams/texts.ts';
import { adapterTexts } from '../support/texts.ts';

const KEYS: readonly TextKey[] = [
  'onlyYou',
  'working',
  'received',
  'failed',
  'notOurs',
  'alertsHere',
  'alertsNotAllowed',
  'alertsFailed',
];
const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('Teams adapter texts', () => {
  const tables = adapterTexts('teams');

  it('has every key the adapter names, in every language, with the same variables, none empty', () => {
    for (const [lng, table] of Object.entries(tables)) {
      expect(Object.keys(table).sort(), lng).toEqual([...KEYS].sort());
      for (const key of KEYS) {
        expect(table[key]?.trim(), `${lng}.${key}`).not.toBe('');
        expect(variables(table[key]!), `${lng}.${key}`).toEqual(variables(tables.en![key]!));
      }
    }
  });

  it('picks the language from the activity locale, English for anything unsupported', () => {
    expect(textsFor('de-CH', tables)('onlyYou')).toBe('Nur für dich sichtbar.');
    expect(textsFor('de_AT', tables)('received')).toBe('Angekommen.');
    expect(textsFor('fr-FR', tables)('received')).toBe('Bien reçu.');
    expect(textsFor('fr_CA', tables)('onlyYou')).toBe('Vous seul voyez ce message.');
    expect(textsFor('es-MX', tables)('received')).toBe('Recibido.');
    expect(textsFor('es_ES', tables)('onlyYou')).toBe('Solo usted puede ver esto.');
    expect(textsFor('pt-BR', tables)('received')).toBe('Got it.');
    expect(textsFor(undefined, tables)('received')).toBe('Got it.');
    expect(textsFor('en', { en: { onlyYou: 'Only {{who}} sees this.' } })('onlyYou', { who: 'Bob' })).toBe(
      'Only Bob sees this.',
    );
  });
});
