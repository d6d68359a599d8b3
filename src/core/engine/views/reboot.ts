/** The phases of a restart being waited out, as the diagnosis card shows them. */
import type { Section } from '../../model/card.ts';
import type { RebootWatch } from '../../model/incident.ts';
import { REBOOT_PHASES } from '../../model/incident.ts';
import type { Translate } from '../../ports/i18n.ts';
import { clockTime } from './format.ts';
import { joinList } from './values.ts';

export function rebootSections(t: Translate, w: RebootWatch, timeZone: string, locale: string): Section[] {
  const items = REBOOT_PHASES.map((phase) => {
    const label = t(`reboot.phase.${phase}`, { server: w.server, time: clockTime(w.settleUntil, timeZone, locale) });
    const seen = w.seen[phase];
    if (seen) return t('reboot.done', { label, time: clockTime(seen, timeZone, locale) });
    return phase === w.phase ? t('reboot.current', { label }) : label;
  });
  const sections: Section[] = [
    { kind: 'text', text: t('reboot.heading', { server: w.server }) },
    { kind: 'list', items },
  ];
  if (w.waitingOn?.length && w.phase !== 'not-back')
    sections.push({ kind: 'text', text: t('reboot.waitingOn', { items: joinList(t, w.waitingOn) }) });
  return sections;
}
