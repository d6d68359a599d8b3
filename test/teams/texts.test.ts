/** The adapter's own texts: English and German with the same keys and the same variables. */
import { describe, expect, it } from 'vitest';
import { TEAMS_TEXTS, languageOf, textsFor } from '../../adapters/teams/texts.ts';

const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('Teams adapter texts', () => {
  it('has the same keys and variables in English and German, none empty', () => {
    expect(Object.keys(TEAMS_TEXTS.de).sort()).toEqual(Object.keys(TEAMS_TEXTS.en).sort());
    for (const [key, en] of Object.entries(TEAMS_TEXTS.en)) {
      const de = TEAMS_TEXTS.de[key as keyof typeof TEAMS_TEXTS.de];
      expect(variables(de), key).toEqual(variables(en));
      expect(en.trim()).not.toBe('');
      expect(de.trim()).not.toBe('');
    }
  });

  it('picks the language from the activity locale and lets the composition root override texts', () => {
    expect(languageOf('de-DE')).toBe('de');
    expect(languageOf('de_AT')).toBe('de');
    expect(languageOf('fr-FR')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
    expect(textsFor('de-CH')('onlyYou')).toBe('Nur für dich sichtbar.');
    expect(textsFor('en-GB', { en: { onlyYou: 'Just for you.' } })('onlyYou')).toBe('Just for you.');
    expect(textsFor('en-GB', { en: { onlyYou: 'Just for you.' } })('received')).toBe('Got it.');
    expect(textsFor('en', { en: { onlyYou: 'Only {{who}} sees this.' } })('onlyYou', { who: 'Bob' })).toBe('Only Bob sees this.');
  });
});
