/** Compensating steps still owed, as the diagnosis card and the timeline show them. */
import type { Section } from '../../model/card.ts';
import type { OwedStep } from '../../model/incident.ts';
import type { Translate } from '../../ports/i18n.ts';
import { operationLabel } from '../labels.ts';
import { clockTime } from './format.ts';

export function owedSections(t: Translate, owed: readonly OwedStep[], timeZone: string, locale: string): Section[] {
  return [
    { kind: 'text', text: t('owed.heading', { count: owed.length }) },
    {
      kind: 'list',
      items: owed.map((o) =>
        t('owed.item', { label: operationLabel(t, o.operation), since: clockTime(o.since, timeZone, locale) }),
      ),
    },
  ];
}
