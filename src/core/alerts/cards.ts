/**
 * The alert card and the storm card. The original alert text is shown only as a code section:
 * every renderer escapes those and never reads them as markup, so a pasted `<script>` or `*bold*`
 * stays text. Texts come from `locales/<lng>/alerts.json`.
 */
import type { Card, Fact, Section } from '../model/card.ts';
import type { Translate } from '../ports/i18n.ts';
import { clockTime, clockZone } from '../engine/views/format.ts';
import type { AlertRecord, StormRecord } from './record.ts';
import { groupBy } from './storm.ts';

export interface CardOptions {
  readonly t: Translate;
  readonly timeZone: string;
  readonly locale: string;
}

/** The original text on a card: enough to recognise the alert; the timeline has it whole. */
const CARD_TEXT = 1_500;

function excerpt(text: string): string {
  return text.length > CARD_TEXT ? `${text.slice(0, CARD_TEXT - 1)}…` : text;
}

export function alertCard(record: AlertRecord, o: CardOptions): Card {
  const { t } = o;
  // The zone is said once, in the footer; a time on another day than the latest carries its date.
  const time = (iso: string) => clockTime(iso, o.timeZone, o.locale, record.clearedAt ?? record.lastAt);
  const vars = { healthSet: record.healthSet, server: record.server };
  const source = t(`alerts:source.${record.source}`);
  const facts: Fact[] = [
    { label: t('alerts:card.raised'), value: t('alerts:card.raisedAt', { time: time(record.firstAt), source }) },
  ];
  if (record.monitor) facts.push({ label: t('alerts:card.monitor'), value: record.monitor });
  if (record.count > 1)
    facts.push({
      label: t('alerts:card.count'),
      value: t('alerts:card.countValue', { count: record.count, time: time(record.lastAt) }),
    });
  if (record.clearedAt) {
    facts.push({
      label: t('alerts:card.status'),
      value: t(record.clearedByItself ? 'alerts:card.clearedByItself' : 'alerts:card.clearedAt', {
        time: time(record.clearedAt),
      }),
    });
  }
  const sections: Section[] = [];
  if (!record.known.server) sections.push({ kind: 'text', text: t('alerts:card.unknownServer', vars) });
  else if (!record.known.healthSet) sections.push({ kind: 'text', text: t('alerts:card.unknownHealthSet', vars) });
  else if (record.open && !record.ownIncident) sections.push({ kind: 'text', text: t('alerts:card.joined', vars) });
  else if (record.open) sections.push({ kind: 'text', text: t('alerts:card.diagnosing') });
  sections.push({ kind: 'code', text: excerpt(record.text) });
  const unknown = !record.known.server || !record.known.healthSet;
  return {
    kind: 'notice',
    title: t(
      record.open ? (unknown ? 'alerts:card.titleUnknown' : 'alerts:card.title') : 'alerts:card.titleCleared',
      vars,
    ),
    severity: record.open ? (unknown ? 'warning' : 'critical') : 'ok',
    facts,
    sections,
    actions: [],
    // The footer names the source (a noun); "raised by" above uses the phrase that follows "by".
    context: `${t('alerts:card.context', { source: t(`alerts:sourceName.${record.source}`) })} · ${t('clock.zone', { zone: clockZone(o.timeZone) })}`,
  };
}

export function stormCard(storm: StormRecord, o: CardOptions): Card {
  const { t } = o;
  const open = storm.members.filter((m) => !m.cleared);
  const alerts = storm.members.reduce((n, m) => n + m.count, 0);
  const servers = groupBy(storm.members, 'server');
  const sets = groupBy(storm.members, 'healthSet');
  const facts: Fact[] = [
    { label: t('alerts:storm.since'), value: clockTime(storm.openedAt, o.timeZone, o.locale) },
    {
      label: t('alerts:storm.open'),
      value: t('alerts:storm.openValue', { open: open.length, total: storm.members.length, alerts }),
    },
  ];
  if (storm.cause) {
    const cause = storm.cause.healthSet
      ? t('alerts:storm.causeSet', { healthSet: storm.cause.healthSet, server: storm.cause.server })
      : t('alerts:storm.causeServer', { server: storm.cause.server });
    facts.push({ label: t('alerts:storm.first'), value: `${cause} (${t(`alerts:storm.why.${storm.cause.why}`)})` });
  }
  const line = (
    name: string,
    members: readonly { server: string; healthSet: string; cleared?: string; known: boolean }[],
    other: 'server' | 'healthSet',
  ) =>
    `${name}: ${[...members]
      .sort((a, b) => a[other].localeCompare(b[other]))
      .map(
        (m) =>
          `${m[other]}${m.cleared ? ` (${t('alerts:storm.cleared')})` : ''}${m.known ? '' : ` (${t('alerts:storm.unknown')})`}`,
      )
      .join(', ')}`;
  return {
    kind: 'notice',
    title: t(open.length > 0 ? 'alerts:storm.title' : 'alerts:storm.titleOver', {
      problems: storm.members.length,
      servers: servers.length,
    }),
    severity: open.length > 0 ? 'critical' : 'ok',
    facts,
    sections: [
      { kind: 'text', text: t('alerts:storm.byHealthSet') },
      { kind: 'list', items: sets.map(([set, members]) => line(set, members, 'server')) },
      { kind: 'text', text: t('alerts:storm.byServer') },
      { kind: 'list', items: servers.map(([server, members]) => line(server, members, 'healthSet')) },
    ],
    actions: [],
  };
}
