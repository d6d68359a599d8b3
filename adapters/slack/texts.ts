/**
 * The few sentences the Slack adapter says itself, from `locales/<lng>/slack.json`, in the
 * person's language (Slack reports `de-DE`; core's locale path maps it).
 */
import type { TextTables } from '../../src/core/index.ts';
import { translateFrom } from '../../src/core/index.ts';

export type SlackTexts = TextTables;
export type SlackTextKey = 'askedBy' | 'inviteFirst' | 'failed';

export function slackText(
  texts: SlackTexts,
  locale: string | undefined,
  key: SlackTextKey,
  vars: Record<string, string> = {},
): string {
  return translateFrom(texts, locale)(key, vars);
}
