/**
 * The few texts the Teams adapter says itself, beside the engine's already-localised cards: the
 * banner on a card answered to one person, the "working" line when the engine is still busy when
 * Teams wants its answer, and the replies to "alerts here". English and German, like the engine.
 *
 * The composition root may pass its own texts (for example from `locales/<lng>/teams.json`); any
 * key it leaves out falls back to these.
 */

export const TEAMS_TEXTS = {
  en: {
    onlyYou: 'Only you can see this.',
    working: 'Working on it… this card updates for everyone when it is done.',
    received: 'Got it.',
    failed: 'Healthbot could not handle that click. Try again in a moment.',
    notOurs: 'This button does not belong to Healthbot.',
    alertsHere: 'Alerts will be posted here from now on.',
    alertsNotAllowed: 'You may not change where alerts are posted.',
    alertsFailed: 'I could not save this as the alerts channel. Try again in a moment.',
  },
  de: {
    onlyYou: 'Nur für dich sichtbar.',
    working: 'Wird bearbeitet … diese Karte aktualisiert sich für alle, sobald es fertig ist.',
    received: 'Angekommen.',
    failed: 'Healthbot konnte diesen Klick nicht verarbeiten. Versuch es gleich noch einmal.',
    notOurs: 'Diese Schaltfläche gehört nicht zu Healthbot.',
    alertsHere: 'Alarme werden ab jetzt hier gepostet.',
    alertsNotAllowed: 'Du darfst nicht ändern, wohin Alarme gepostet werden.',
    alertsFailed: 'Ich konnte diesen Kanal nicht als Alarmkanal speichern. Versuch es gleich noch einmal.',
  },
} as const;

export type TextKey = keyof (typeof TEAMS_TEXTS)['en'];
export type TeamsTexts = Readonly<Record<string, Readonly<Partial<Record<string, string>>>>>;
export type Say = (key: TextKey, vars?: Readonly<Record<string, string>>) => string;

/** `de-DE`, `de_AT`, `de` → German; anything else → English. */
export function languageOf(locale: string | undefined): 'en' | 'de' {
  return (locale ?? '').trim().toLowerCase().startsWith('de') ? 'de' : 'en';
}

export function textsFor(locale: string | undefined, overrides: TeamsTexts = {}): Say {
  const lng = languageOf(locale);
  return (key, vars = {}) => {
    const template = overrides[lng]?.[key] ?? TEAMS_TEXTS[lng][key];
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => vars[name] ?? '');
  };
}
