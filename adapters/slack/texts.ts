/** The few sentences the Slack adapter says itself, in the person's language. */
import { SUPPORTED_LOCALES } from '../../src/core/index.ts';

export type SlackTexts = Readonly<Record<string, Readonly<Record<string, string>>>>;
export type SlackTextKey = 'askedBy' | 'inviteFirst' | 'failed';

export function slackText(texts: SlackTexts, locale: string | undefined, key: SlackTextKey, vars: Record<string, string> = {}): string {
  // Slack reports `de-DE`; the texts are per language.
  const base = (locale ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  const lng = (SUPPORTED_LOCALES as readonly string[]).includes(base) ? base : 'en';
  const template = texts[lng]?.[key] ?? texts.en?.[key] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => vars[name] ?? '');
}
