/**
 * The lexicons are data read from locales/<lng>/intent.json: a broken file is refused with its
 * name, never turned into a parser that silently knows fewer words. And the tokeniser's rules
 * for French elisions, Japanese runs and full-width text, one at a time.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/index.ts';
import { createQuestionParser, lexiconOf } from '../../src/core/intent/index.ts';
import { tokenise } from '../../src/core/intent/normalise.ts';
import { segmentRun } from '../../src/core/intent/segment.ts';
import { readLexicons } from '../../src/i18n/index.ts';
import { allLanguagesParser, INTENT_LANGUAGES, LOCALES_DIR } from './parser.ts';

const english = JSON.parse(readFileSync(join(LOCALES_DIR, 'en', 'intent.json'), 'utf8')) as Record<string, unknown>;
const vocab = {
  healthSets: [
    { name: 'IMAP', aliases: ['imap'] },
    { name: 'DataProtection', aliases: ['réplication', 'レプリケーション'] },
  ],
  servers: [{ name: 'SERVER1', fqdn: 'server1.contoso.com' }],
};

describe('intent lexicons as data', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('has a lexicon for en, de, fr, es and ja', () => {
    expect(INTENT_LANGUAGES).toEqual(['en', 'de', 'es', 'fr', 'ja']);
  });

  it('refuses a lexicon with a missing list, an empty word list, a stray key or an unknown script', () => {
    const { cancel: _cancel, ...missing } = english;
    expect(lexiconOf(missing, 'x.json')).toEqual({ problems: ['x.json: "cancel" must be a list of words'] });
    expect(lexiconOf({ ...english, help: [] }, 'x.json')).toEqual({ problems: ['x.json: "help" is empty'] });
    expect(lexiconOf({ ...english, extra: ['a'] }, 'x.json')).toEqual({ problems: ['x.json: unknown list "extra"'] });
    expect(lexiconOf({ ...english, scripts: ['Klingon'] }, 'x.json')).toEqual({
      problems: ['x.json: "Klingon" is not a Unicode script'],
    });
    expect(lexiconOf({ ...english, help: [3] }, 'x.json')).toEqual({
      problems: ['x.json: "help" must be a list of words'],
    });
    expect(lexiconOf([], 'x.json')).toEqual({ problems: ['x.json: not an object of word lists'] });
    // Writing-system lists may be empty: English has no elisions.
    expect(lexiconOf(english, 'x.json')).toHaveProperty('lexicon');
  });

  it('stops with the file named when a supported language has no intent file or a malformed one', () => {
    dir = mkdtempSync(join(tmpdir(), 'intent-'));
    mkdirSync(join(dir, 'en'));
    writeFileSync(join(dir, 'en', 'intent.json'), JSON.stringify(english));
    expect(() => readLexicons(dir!, ['en', 'de'])).toThrow(ConfigError);
    expect(() => readLexicons(dir!, ['en', 'de'])).toThrow(/de[/\\]intent\.json/);
    mkdirSync(join(dir, 'de'));
    writeFileSync(join(dir, 'de', 'intent.json'), '{ "markers": [');
    expect(() => readLexicons(dir!, ['en', 'de'])).toThrow(/de[/\\]intent\.json/);
    writeFileSync(join(dir, 'de', 'intent.json'), JSON.stringify({ ...english, trouble: [] }));
    expect(() => readLexicons(dir!, ['en', 'de'])).toThrow(/"trouble" is empty/);
    expect([...readLexicons(dir!, ['en']).keys()]).toEqual(['en']);
  });

  it('needs at least one lexicon', () => {
    expect(() => createQuestionParser(new Map())).toThrow();
  });

  it('knows a language only through its file: without the French lexicon, French words are not understood', () => {
    const withoutFrench = createQuestionParser(
      readLexicons(
        LOCALES_DIR,
        INTENT_LANGUAGES.filter((l: string) => l !== 'fr'),
      ),
    );
    expect(withoutFrench.parse('annuler', vocab).intent.kind).toBe('unknown');
    expect(allLanguagesParser().parse('annuler', vocab).intent.kind).toBe('cancel');
    expect(withoutFrench.locales as readonly string[]).not.toContain('fr');
  });
});

describe('the vocabulary index', () => {
  it('is rebuilt when a new vocabulary object brings other names, and reused when only the object is new', () => {
    const parser = allLanguagesParser();
    expect(parser.parse('imap on server2', vocab).problems[0]).toMatchObject({
      kind: 'unknown-server',
      text: 'server2',
    });
    const more = { ...vocab, servers: [...vocab.servers, { name: 'SERVER2', fqdn: 'server2.contoso.com' }] };
    expect(parser.parse('imap on server2', more).intent).toEqual({
      kind: 'diagnose',
      healthSet: 'IMAP',
      server: 'SERVER2',
    });
    const renamed = {
      ...vocab,
      healthSets: [
        { name: 'IMAP', aliases: ['imap'] },
        { name: 'DataProtection', aliases: ['réplication', 'レプリケーション', 'ＤＡＧ'] },
      ],
    };
    expect(parser.parse('server1のレプリケーション', { ...vocab }).intent).toMatchObject({
      healthSet: 'DataProtection',
    });
    expect(parser.parse('dag on server1', renamed).intent).toMatchObject({ healthSet: 'DataProtection' });
    expect(parser.parse('dag on server1', { ...vocab }).intent).not.toMatchObject({ healthSet: 'DataProtection' });
  });
});

describe('tokenising', () => {
  const elision = /(^|[^\p{L}\p{N}])(l|d|qu)['’](?=\p{L})/giu;
  const words = (text: string, rules = {}) => tokenise(text, rules).map((t) => t.lower);

  it('splits French elisions at the apostrophe and drops other apostrophes', () => {
    expect(words("qu'est-ce qui ne va pas avec l'IMAP", { elision })).toEqual([
      'qu',
      'est-ce',
      'qui',
      'ne',
      'va',
      'pas',
      'avec',
      'l',
      'imap',
    ]);
    expect(words("l’état d'OWA", { elision })).toEqual(['l', 'etat', 'd', 'owa']);
    // Without the rule (and for words that are not elisions) the apostrophe is dropped as before.
    expect(words("l'IMAP")).toEqual(['limap']);
    expect(words("what's wrong", { elision })).toEqual(['whats', 'wrong']);
  });

  it('folds accents but keeps Japanese voicing marks', () => {
    expect(words('Réplication ÉTAT prüfe')).toEqual(['replication', 'etat', 'prufe']);
    expect(words('が')).toEqual(['が']);
  });

  it('normalises full-width letters, digits and punctuation (NFKC)', () => {
    expect(words('ＩＭＡＰ　ｓｅｒｖｅｒ１？')).toEqual(['imap', 'server1']);
  });

  it('cuts Japanese at script changes and at known words', () => {
    const dictionary = new Set(['は', 'の', 'どうなって', 'います', 'か', 'が', 'で']);
    expect(words('server1のIMAPはどうなっていますか？', { dictionary, longest: 5 })).toEqual([
      'server1',
      'の',
      'imap',
      'は',
      'どうなって',
      'います',
      'か',
    ]);
    // Katakana is cut apart from hiragana even without a dictionary.
    expect(words('レプリケーションが')).toEqual(['レプリケーション', 'が']);
    expect(segmentRun('未知の語', new Set(['の']), 1)).toEqual(['未知', 'の', '語']);
  });

  it("matches a health set's Japanese alias inside a run of Japanese text", () => {
    const p = allLanguagesParser().parse('server1のレプリケーションは大丈夫ですか', vocab);
    expect(p.intent).toEqual({ kind: 'diagnose', healthSet: 'DataProtection', server: 'SERVER1' });
    expect(p.locale).toBe('ja');
  });
});
