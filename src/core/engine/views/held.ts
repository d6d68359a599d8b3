/** Server components held other than Active, as the diagnosis card shows them: who, since when. */
import type { Section } from '../../model/card.ts';
import type { HeldComponents } from '../../model/incident.ts';
import type { Translate } from '../../ports/i18n.ts';
import { clockTime } from './format.ts';

export function heldSections(
  t: Translate,
  held: HeldComponents,
  server: string,
  timeZone: string,
  locale: string,
): Section[] {
  if (held.unreadable) return [{ kind: 'text', text: t('held.unreadable', { server }) }];
  if (held.components.length === 0) return [];
  const items = held.components.flatMap((c) =>
    c.requesters
      .filter((r) => r.state !== 'Active')
      .map((r) =>
        r.at
          ? t('held.itemSince', {
              component: c.component,
              state: r.state,
              requester: r.requester,
              time: clockTime(r.at, timeZone, locale),
            })
          : t('held.item', { component: c.component, state: r.state, requester: r.requester }),
      ),
  );
  if (held.activationBlocked) items.push(t('held.activation', { server }));
  return [
    { kind: 'text', text: t('held.heading', { server }) },
    { kind: 'list', items },
  ];
}
