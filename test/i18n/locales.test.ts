/**
 * Every locale has the same keys with the same interpolation variables, every key the engine
 * uses exists, and translations are not HTML-escaped (renderers escape for their platform).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  OPERATION_KINDS,
  ALERT_VALUES,
  PROBE_RESULT_TYPES,
  SUPPORTED_LOCALES,
  FALLBACK_LOCALE,
} from '../../src/core/index.ts';
import {
  createTranslator,
  INTENT_NAMESPACE,
  readLexicons,
  readLocaleFiles,
  resolveLocale,
} from '../../src/i18n/index.ts';
import { LEXICON_LISTS, WRITING_SYSTEM_LISTS } from '../../src/core/intent/index.ts';

const root = resolve(import.meta.dirname, '../..');
const localesDir = join(root, 'locales');

/** Flattens nested resources to `key -> text`, folding plural suffixes into the base key. */
function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

const variables = (text: string) => [...text.matchAll(/\{\{-?\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();
const pluralBase = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('locales', () => {
  const files = readLocaleFiles(localesDir);
  // Text namespaces; `intent` holds the parser's word lists, which differ by language by nature.
  const namespaces = readdirSync(join(localesDir, 'en'))
    .map((f) => f.replace(/\.json$/, ''))
    .filter((ns) => ns !== INTENT_NAMESPACE);

  const others = SUPPORTED_LOCALES.filter((lng) => lng !== FALLBACK_LOCALE);

  it('has every namespace in every supported language', () => {
    expect(namespaces).toContain('engine');
    for (const lng of SUPPORTED_LOCALES)
      for (const ns of namespaces) expect(files[lng][ns], `${lng}/${ns}`).toBeDefined();
  });

  describe.each(others)('%s', (lng) => {
    it.each(namespaces)('%s: the same keys and the same variables as English', (ns) => {
      const en = flatten(files.en[ns] ?? {});
      const other = flatten(files[lng][ns] ?? {});
      const enKeys = [...new Set([...en.keys()].map(pluralBase))].sort();
      const otherKeys = [...new Set([...other.keys()].map(pluralBase))].sort();
      expect(otherKeys).toEqual(enKeys);
      const forms = new Intl.PluralRules(lng).resolvedOptions().pluralCategories as readonly string[];
      for (const [key, text] of en) {
        // An English plural form the language does not use (Japanese has no "one") has no twin: English's
        // "one" may leave out {{count}} where the language's "other", which also says one, names it.
        if (key !== pluralBase(key) && !forms.includes(key.slice(pluralBase(key).length + 1))) continue;
        const twin = other.get(key) ?? other.get(`${pluralBase(key)}_other`);
        expect(twin, `${lng} is missing ${ns}:${key}`).toBeDefined();
        expect(variables(twin!), `${lng}/${ns}:${key}`).toEqual(variables(text));
      }
    });

    // i18next picks the form by Intl.PluralRules: French and Spanish need "many", Japanese only "other".
    it('has every plural form the language uses, and no other', () => {
      const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
      for (const ns of namespaces) {
        const keys = [...flatten(files[lng][ns] ?? {}).keys()];
        const plurals = new Set(keys.filter((k) => k !== pluralBase(k)).map(pluralBase));
        for (const base of plurals) {
          const forms = keys
            .filter((k) => pluralBase(k) === base && k !== base)
            .map((k) => k.slice(base.length + 1))
            .sort();
          expect(forms, `${lng}/${ns}:${base}`).toEqual([...categories].sort());
        }
      }
    });
  });

  it("has the parser's word lists in every supported language: the same lists, none of the word lists empty", () => {
    const lexicons = readLexicons(localesDir);
    expect([...lexicons.keys()]).toEqual([...SUPPORTED_LOCALES]);
    for (const lng of SUPPORTED_LOCALES) {
      const raw = JSON.parse(readFileSync(join(localesDir, lng, `${INTENT_NAMESPACE}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(Object.keys(raw).sort(), `${lng}/intent`).toEqual([...LEXICON_LISTS].sort());
      for (const list of LEXICON_LISTS)
        if (!WRITING_SYSTEM_LISTS.has(list))
          expect(lexicons.get(lng)![list].length, `${lng}/intent:${list}`).toBeGreaterThan(0);
    }
  });

  it('has no empty texts', () => {
    for (const lng of SUPPORTED_LOCALES)
      for (const ns of namespaces)
        for (const [key, text] of flatten(files[lng][ns] ?? {}))
          expect(text.trim(), `${lng}/${ns}:${key}`).not.toBe('');
  });

  it('covers every key the engine builds from the catalogue', () => {
    const t = createTranslator(localesDir);
    const keys = [
      ...ALERT_VALUES.map((v) => `alert.${v}`),
      ...PROBE_RESULT_TYPES.map((v) => `result.${v}`),
      ...['transient', 'confirmed', 'reported', 'unverified'].map((v) => `verdict.${v}`),
      ...[
        'checking',
        'healthy',
        'transient',
        'confirmed',
        'reported',
        'unverified',
        'resolved',
        'escalated',
        'failed',
        'closed',
      ].map((s) => `diag.title.${s}`),
      ...OPERATION_KINDS.filter(
        (k) => !['set-database-activation', 'set-protocol-logging', 'set-server-component-state'].includes(k),
      ).map((k) => `op.${k}.label`),
      ...['Active', 'Inactive', 'Draining'].map((s) => `op.set-server-component-state.${s}`),
      'op.set-database-activation.move-now',
      'op.set-database-activation.allow',
      'op.set-protocol-logging.on',
      'op.set-protocol-logging.off',
      ...[
        'unknown-server',
        'not-allowed',
        'timeout',
        'unavailable',
        'crashed',
        'not-installed',
        'permission-denied',
        'bad-output',
        'failed',
      ].map((c) => `errors.${c}`),
    ];
    for (const key of keys) expect(t.has(key), key).toBe(true);
  });

  it('has an impact text for every state-changing operation', async () => {
    const { OPERATION_TRAITS } = await import('../../src/core/index.ts');
    const t = createTranslator(localesDir);
    for (const kind of OPERATION_KINDS)
      if (OPERATION_TRAITS[kind].changesState) expect(t.has(`op.${kind}.impact`), kind).toBe(true);
  });

  it('uses every literal key that the engine code mentions', () => {
    const t = createTranslator(localesDir);
    const dir = join(root, 'src/core/engine');
    const sources = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    const literal = sources.flatMap((s) => [...s.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)].map((m) => m[1]!));
    expect(literal.length).toBeGreaterThan(20);
    for (const key of literal) expect(t.has(key), key).toBe(true);
  });

  it("has every key an adapter's code names, in every language, in locales/<lng>/<adapter>.json", () => {
    // t('key'), say('key'), slackText(texts, locale, 'key') and data-t="key" in adapters/<name>/.
    const calls = [
      /\b(?:t|say)\(\s*'([a-zA-Z][\w.-]*)'/g,
      /\bslackText\([^)]*?,\s*'([a-zA-Z][\w.-]*)'/g,
      /\bdata-t(?:-placeholder|-label)?="([a-zA-Z][\w.-]*)"/g,
    ];
    const adapters = readdirSync(join(root, 'adapters')).filter((name) => name !== 'shared');
    let checked = 0;
    for (const name of adapters) {
      const dir = join(root, 'adapters', name);
      const sources = readdirSync(dir)
        .filter((f) => /\.(ts|js)$/.test(f))
        .map((f) => readFileSync(join(dir, f), 'utf8'));
      const keys = new Set(sources.flatMap((src) => calls.flatMap((re) => [...src.matchAll(re)].map((m) => m[1]!))));
      for (const key of keys) {
        for (const [lng, resources] of Object.entries(files)) {
          expect(
            (resources[name] as Record<string, unknown> | undefined)?.[key],
            `locales/${lng}/${name}.json: ${key}`,
          ).toEqual(expect.any(String));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});

describe('translator', () => {
  const t = createTranslator(localesDir);

  it('maps platform locales to supported ones and falls back to English', () => {
    expect(resolveLocale('de-DE')).toBe('de');
    expect(resolveLocale('de_AT')).toBe('de');
    expect(resolveLocale('en-GB')).toBe('en');
    expect(resolveLocale('pt-BR')).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
    expect(resolveLocale('')).toBe('en');
  });

  it('translates, interpolates and pluralises per locale', () => {
    expect(t.for('en')('diag.title.confirmed', { subject: 'IMAP on SERVER1' })).toBe(
      'IMAP on SERVER1: problem confirmed',
    );
    expect(t.for('de')('diag.title.confirmed', { subject: 'IMAP auf SERVER1' })).toBe(
      'IMAP auf SERVER1: Problem bestätigt',
    );
    expect(t.for('en')('cancel.done', { count: 2 })).toBe('Cancelled 2 pending approval requests.');
    expect(t.for('de')('cancel.done', { count: 1 })).toBe('Deine offene Freigabeanfrage wurde zurückgezogen.');
  });

  it('does not HTML-escape values (renderers escape for their platform)', () => {
    expect(t.for('en')('ask.unknownServer', { server: `<b>"x'&` })).toBe(`I don't know a server called "<b>"x'&".`);
  });
});
