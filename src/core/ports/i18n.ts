/**
 * The languages Healthbot speaks: the one list to extend when adding a language (beside its
 * files in locales/<lng>/). The first is the fallback for anything unsupported.
 */
export const SUPPORTED_LOCALES = ['en', 'de', 'fr', 'es', 'ja'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const FALLBACK_LOCALE: Locale = SUPPORTED_LOCALES[0];

/** Maps a platform tag (`de-DE`, `de_AT`, `DE`, `fr`, undefined) to a supported locale; the fallback otherwise. */
export function supportedLocale(tag: string | undefined): Locale {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return SUPPORTED_LOCALES.find((l) => l === base) ?? FALLBACK_LOCALE;
}

/** A text table per language, as the adapters keep theirs (`locales/<lng>/<adapter>.json`). */
export type TextTables = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * A translate function over an adapter's text tables: the person's language, then the fallback
 * language, then the key itself (which a test forbids: every key used exists in every language).
 */
export function translateFrom(tables: TextTables, tag: string | undefined): Translate {
  const lng = supportedLocale(tag);
  return (key, vars = {}) => {
    const template = tables[lng]?.[key] ?? tables[FALLBACK_LOCALE]?.[key] ?? key;
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => String(vars[name] ?? ''));
  };
}

/** A translate function bound to one locale. Values are interpolated unescaped: renderers escape. */
export type Translate = (key: string, vars?: Readonly<Record<string, string | number>>) => string;

export interface Translator {
  /** Maps a platform tag (`de-DE`, `en_US`, undefined) to a supported locale; English otherwise. */
  resolve(tag: string | undefined): Locale;
  for(locale: Locale): Translate;
  /** Does the key exist (in the locale or the English fallback)? */
  has(key: string): boolean;
}
