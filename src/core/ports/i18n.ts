export type Locale = 'en' | 'de';
export const SUPPORTED_LOCALES: readonly Locale[] = ['en', 'de'];

/** A translate function bound to one locale. Values are interpolated unescaped: renderers escape. */
export type Translate = (key: string, vars?: Readonly<Record<string, string | number>>) => string;

export interface Translator {
  /** Maps a platform tag (`de-DE`, `en_US`, undefined) to a supported locale; English otherwise. */
  resolve(tag: string | undefined): Locale;
  for(locale: Locale): Translate;
  /** Does the key exist (in the locale or the English fallback)? */
  has(key: string): boolean;
}
