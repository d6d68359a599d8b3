/**
 * The Translator port on i18next. Resources are JSON files under `locales/<lng>/<namespace>.json`,
 * read once at start (a handful of small files: no backend plugin, no I/O per message).
 *
 * Interpolated values are NOT escaped here: every renderer escapes for its own platform (HTML,
 * Slack mrkdwn, Adaptive Card markdown), and i18next's HTML escaping would show up as `&#39;`
 * on Slack and Teams.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import type { Locale, Translate, Translator } from '../core/index.ts';
import { SUPPORTED_LOCALES, supportedLocale } from '../core/index.ts';
import { INTENT_NAMESPACE } from './intent.ts';

export { createParserFrom, INTENT_NAMESPACE, readLexicons } from './intent.ts';

export const NAMESPACES = ['engine', 'runbooks', 'alerts'] as const;
export type Resources = Record<string, Record<string, unknown>>;

/** Reads every text namespace (`<namespace>.json`, but not the parser's `intent.json`) of every supported locale. */
export function readLocaleFiles(localesDir: string): Record<Locale, Resources> {
  const out = {} as Record<Locale, Resources>;
  for (const lng of SUPPORTED_LOCALES) {
    const dir = join(localesDir, lng);
    const resources: Resources = {};
    if (existsSync(dir)) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== `${INTENT_NAMESPACE}.json`)) {
        resources[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<
          string,
          unknown
        >;
      }
    }
    out[lng] = resources;
  }
  return out;
}

/** Maps `de-DE`, `de_AT`, `DE`, `en-GB`, `fr` to a supported locale; English otherwise. */
export function resolveLocale(tag: string | undefined): Locale {
  return supportedLocale(tag);
}

export function createTranslator(localesDir: string): Translator {
  const files = readLocaleFiles(localesDir);
  const instance = i18next.createInstance();
  void instance.init({
    resources: files,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...SUPPORTED_LOCALES],
    ns: [...NAMESPACES],
    defaultNS: 'engine',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  } as Parameters<typeof instance.init>[0]);
  const fixed = new Map<Locale, Translate>();
  for (const lng of SUPPORTED_LOCALES) {
    const t = instance.getFixedT(lng);
    fixed.set(lng, (key, vars) => t(key, vars ?? {}) as string);
  }
  return {
    resolve: resolveLocale,
    for: (locale) => fixed.get(locale) ?? fixed.get('en')!,
    has: (key) => instance.exists(key, { lng: 'en' }) || instance.exists(`${key}_other`, { lng: 'en' }),
  };
}
