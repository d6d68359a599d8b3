/**
 * The card's account of what was read: each health set with its state and how many monitors,
 * the healthy ones named (not "4 more healthy"), and for a question about a health set the
 * monitors of that set, so "healthy" always says what it rests on.
 */
import type { Fact } from '../../model/card.ts';
import type { Incident } from '../../model/incident.ts';
import type { Translate } from '../../ports/i18n.ts';
import { joinList } from './values.ts';

/** At most this many monitor names on a card; the rest are counted. */
const MAX_NAMES = 12;

export function readFacts(t: Translate, incident: Incident): Fact[] {
  const rollup = incident.rollup ?? [];
  if (rollup.length === 0) return [];
  const counted = rollup.every((r) => r.monitorCount !== undefined);
  const label = (r: (typeof rollup)[number]) =>
    r.monitorCount !== undefined && incident.healthSet
      ? t('diag.healthSetCounted', {
          healthSet: r.healthSet,
          state: t(`alert.${r.alertValue}`),
          monitors: t('diag.monitorCount', { count: r.monitorCount }),
        })
      : t('diag.healthSetState', { healthSet: r.healthSet, state: t(`alert.${r.alertValue}`) });
  const facts: Fact[] = [];
  if (incident.healthSet) {
    facts.push({ label: t('diag.fact.healthSets'), value: rollup.map(label).join(' · ') });
  } else {
    // A whole server: what is not healthy with its state, then every healthy set by name.
    const unwell = rollup.filter((r) => r.alertValue !== 'Healthy');
    const healthy = rollup.filter((r) => r.alertValue === 'Healthy');
    if (unwell.length > 0) facts.push({ label: t('diag.fact.healthSets'), value: unwell.map(label).join(' · ') });
    if (healthy.length > 0)
      facts.push({
        label: t('diag.fact.healthy'),
        value: joinList(
          t,
          healthy.map((r) => r.healthSet),
        ),
      });
  }
  if (counted) {
    const monitors = rollup.reduce((n, r) => n + (r.monitorCount ?? 0), 0);
    facts.push({
      label: t('diag.fact.read'),
      value: t('diag.readCount', {
        sets: t('diag.setCount', { count: rollup.length }),
        monitors: t('diag.monitorCount', { count: monitors }),
      }),
    });
  }
  // The monitors of the set asked about; related sets are counted above.
  const asked = incident.healthSet?.toLowerCase();
  const names = rollup.find((r) => r.healthSet.toLowerCase() === asked)?.monitors ?? [];
  if (names.length > 0) {
    const shown = joinList(t, names.slice(0, MAX_NAMES));
    facts.push({
      label: t('diag.fact.monitorsRead'),
      value: names.length > MAX_NAMES ? t('diag.andMore', { list: shown, count: names.length - MAX_NAMES }) : shown,
    });
  }
  return facts;
}
