/** The few sentences the Slack adapter says itself, in the person's language. */
import type { Locale } from '../../src/core/index.ts';
import { resolveLocale } from '../../src/i18n/index.ts';

export type SlackTexts = Readonly<Record<string, Readonly<Record<string, string>>>>;
export type SlackTextKey = 'askedBy' | 'inviteFirst' | 'failed';

export function slackText(texts: SlackTexts, locale: string | undefined, key: SlackTextKey, vars: Record<string, string> = {}): string {
  const lng: Locale = resolveLocale(locale);
  const template = texts[lng]?.[key] ?? texts.en?.[key] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => vars[name] ?? '');
}
