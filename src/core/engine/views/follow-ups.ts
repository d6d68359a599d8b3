/** Optional follow-ups on the diagnosis card: what they do and that each is a decision of its own. */
import type { Section } from '../../model/card.ts';
import type { FollowUp } from '../../model/incident.ts';
import type { Translate } from '../../ports/i18n.ts';
import { operationImpact, operationLabel } from '../labels.ts';

export function followUpSections(t: Translate, followUps: readonly FollowUp[]): Section[] {
  return [
    { kind: 'text', text: t('followUp.heading', { count: followUps.length }) },
    {
      kind: 'list',
      items: followUps.map((f) =>
        t('followUp.item', { label: operationLabel(t, f.operation), impact: operationImpact(t, f.operation) }),
      ),
    },
  ];
}
