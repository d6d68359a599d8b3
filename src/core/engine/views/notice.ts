/** Short cards: notices, questions back to the user, refusals, help. */
import type { Card, CardAction, Section, Severity } from '../../model/card.ts';
import type { Translate } from '../../ports/i18n.ts';
import { joinList } from './values.ts';

export function noticeCard(
  title: string,
  options: { severity?: Severity; text?: string; items?: readonly string[]; actions?: readonly CardAction[] } = {},
): Card {
  const sections: Section[] = [];
  if (options.text) sections.push({ kind: 'text', text: options.text });
  if (options.items && options.items.length > 0) sections.push({ kind: 'list', items: options.items });
  return {
    kind: 'notice',
    title,
    severity: options.severity ?? 'info',
    facts: [],
    sections,
    actions: options.actions ?? [],
  };
}

export function helpCard(t: Translate, healthSets: readonly string[], servers: readonly string[]): Card {
  return {
    kind: 'help',
    title: t('help.title'),
    severity: 'info',
    facts: [
      { label: t('help.servers'), value: joinList(t, servers) },
      { label: t('help.healthSets'), value: joinList(t, healthSets) },
    ],
    sections: [
      { kind: 'text', text: t('help.intro') },
      {
        kind: 'list',
        items: [
          t('help.example.diagnose'),
          t('help.example.status'),
          t('help.example.rerun'),
          t('help.example.other'),
          t('help.example.cancel'),
        ],
      },
      { kind: 'text', text: t('help.approvals') },
    ],
    actions: [],
  };
}
