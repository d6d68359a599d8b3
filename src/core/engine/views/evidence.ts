/**
 * The evidence on the diagnosis card, above the ladder: what Managed Availability already did
 * (a reboot it forced in red), the failing probes' recent history with their distinct errors, at
 * most three lines of Windows events, and for health sets without a runbook, plainly, that no
 * documented recovery exists and what was checked. A read that failed says so.
 */
import type { Fact, Section } from '../../model/card.ts';
import type { Evidence } from '../../model/evidence.ts';
import type { SideRead } from '../../model/side-read.ts';
import type { Incident } from '../../model/incident.ts';
import type { Operation } from '../../model/operations.ts';
import type { Translate } from '../../ports/i18n.ts';
import type { RecoveryGroup } from '../evidence/summarise.ts';
import {
  alreadyTried,
  distinctErrors,
  historyVerdict,
  isReboot,
  recoveryGroups,
  windowsLines,
} from '../evidence/summarise.ts';
import { primaryFinding } from '../diagnose.ts';
import { clockTime } from './format.ts';
import { errorCodeWord, joinList } from './values.ts';

export interface EvidenceView {
  readonly facts: readonly Fact[];
  readonly sections: readonly Section[];
}

const hours = (minutes: number) => Math.round(minutes / 60);

function notRead(t: Translate, read: SideRead<unknown>): string | undefined {
  if (read.status === 'read') return undefined;
  return read.status === 'timed-out'
    ? t('evidence:notRead.timedOut')
    : t('evidence:notRead.failed', { code: errorCodeWord(t, read.code) });
}

function recoveryLine(
  t: Translate,
  g: RecoveryGroup,
  server: string,
  time: (iso: string | undefined) => string,
): string {
  const known = [
    'RestartService',
    'RecycleApplicationPool',
    'ResetIISAppPool',
    'ForceReboot',
    'TakeComponentOffline',
    'DatabaseFailover',
    'RestartIIS',
  ];
  const action = known.find((k) => k.toLowerCase() === g.action.toLowerCase());
  const vars = { action: g.action, resource: g.resource ?? server, count: g.ran, since: time(g.firstAt), server };
  const parts = [
    isReboot(g.action)
      ? t('evidence:recovery.reboot', vars)
      : t(action ? `evidence:recovery.action.${action}` : 'evidence:recovery.action.other', vars),
  ];
  if (g.lastSucceededAt) parts.push(t('evidence:recovery.lastSucceeded', { time: time(g.lastSucceededAt) }));
  if (g.lastFailure) parts.push(t('evidence:recovery.lastFailed', { exception: g.lastFailure.slice(0, 160) }));
  if (g.throttled) parts.push(t('evidence:recovery.throttled'));
  return parts.join(t('evidence:recovery.joiner'));
}

export function evidenceView(t: Translate, incident: Incident, timeZone: string): EvidenceView {
  const e: Evidence | undefined = incident.evidence;
  if (!e) return { facts: [], sections: [] };
  const time = (iso: string | undefined) => clockTime(iso, timeZone, incident.locale, incident.updatedAt);
  const facts: Fact[] = [];
  const sections: Section[] = [];
  const server = incident.server;

  const maLabel = t('evidence:fact.recovery');
  const recoveryMissing = notRead(t, e.recovery);
  if (recoveryMissing)
    facts.push({ label: maLabel, value: t('evidence:recovery.notRead', { reason: recoveryMissing }) });
  else if (e.recovery.status === 'read') {
    const groups = recoveryGroups(e.recovery.value);
    if (groups.length === 0)
      facts.push({ label: maLabel, value: t('evidence:recovery.none', { hours: hours(e.windows.recoveryMinutes) }) });
    for (const g of groups)
      facts.push({
        label: maLabel,
        value: recoveryLine(t, g, server, time),
        ...(isReboot(g.action) ? { style: 'danger' as const } : {}),
      });
  }

  const primary = primaryFinding(incident.findings, incident.healthSet);
  const histories = [...(e.probeHistory ?? [])]
    .sort((a, b) => Number(b.monitor === primary?.monitor) - Number(a.monitor === primary?.monitor))
    .slice(0, 3);
  for (const h of histories) {
    const label = t('evidence:fact.history', { monitor: h.monitor });
    const missing = notRead(t, h.read);
    if (missing || h.read.status !== 'read') {
      facts.push({ label, value: t('evidence:history.notRead', { reason: missing ?? '' }) });
      continue;
    }
    const v = historyVerdict(h.read.value);
    const vars = {
      hours: hours(e.windows.probeMinutes),
      ...('since' in v ? { since: time(v.since) } : {}),
      ...('failed' in v ? { failed: v.failed } : {}),
      ...('total' in v ? { total: v.total } : {}),
    };
    facts.push({ label, value: t(`evidence:history.${v.kind}`, vars) });
    const errors = distinctErrors(h.read.value);
    if (errors.length > 0 && h.monitor === (histories[0]?.monitor ?? '')) {
      sections.push({ kind: 'text', text: t('evidence:history.errors', { monitor: h.monitor, count: errors.length }) });
      sections.push({ kind: 'list', items: errors });
    }
  }

  const windowsLabel = t('evidence:fact.windows');
  const windowsMissing = notRead(t, e.windowsEvents);
  if (windowsMissing)
    facts.push({ label: windowsLabel, value: t('evidence:windows.notRead', { reason: windowsMissing }) });
  else if (e.windowsEvents.status === 'read') {
    for (const line of windowsLines(e.windowsEvents.value)) {
      facts.push({
        label: windowsLabel,
        value: t(`evidence:windows.${line.kind}`, {
          subjects: joinList(t, line.subjects) || server,
          count: line.count,
          time: time(line.lastAt),
          detail: line.detail ?? '',
        }).replace(/\s*\(\)\s*$/, ''),
      });
    }
  }

  if (e.unlisted) sections.push(...unlistedSections(t, e));
  return { facts, sections };
}

/** The generic flow's card text: no documented recovery, and what was checked. */
function unlistedSections(t: Translate, e: Evidence): Section[] {
  const u = e.unlisted!;
  const items: string[] = [];
  items.push(
    u.items.status === 'read'
      ? t('evidence:generic.items', { count: u.items.value, healthSets: joinList(t, u.healthSets) })
      : t('evidence:generic.itemsNotRead', { reason: notRead(t, u.items) ?? '' }),
  );
  for (const m of u.monitors) {
    if (!m.probe) items.push(t('evidence:generic.noProbe', { monitor: m.monitor }));
    else if (m.rerun?.status === 'read')
      items.push(
        t('evidence:generic.rerun', {
          monitor: m.monitor,
          probe: m.probe,
          result: t(`result.${m.rerun.value.resultType}`),
        }),
      );
    else
      items.push(
        t('evidence:generic.notInvocable', {
          monitor: m.monitor,
          probe: m.probe,
          reason: errorCodeWord(t, m.rerun?.status === 'failed' ? m.rerun.code : 'timeout'),
        }),
      );
  }
  return [
    { kind: 'text', text: t('evidence:generic.noRunbook', { healthSets: joinList(t, u.healthSets) }) },
    { kind: 'list', items },
    { kind: 'text', text: t('evidence:generic.escalate') },
  ];
}

/** The next step's note when Managed Availability already took that very step, and the monitor still fails. */
export function alreadyTriedNote(
  t: Translate,
  incident: Incident,
  op: Operation | undefined,
  timeZone: string,
): string | undefined {
  const e = incident.evidence;
  if (!e || e.recovery.status !== 'read') return undefined;
  const g = alreadyTried(e.recovery.value, incident.server, op);
  if (!g) return undefined;
  return t('evidence:ladder.alreadyTried', {
    count: g.ran,
    time: clockTime(g.lastSucceededAt ?? g.firstAt, timeZone, incident.locale, incident.updatedAt),
  });
}

/** In the list of all steps: the mark on a rung Managed Availability already climbed. */
export function alreadyTriedMark(t: Translate, incident: Incident, op: Operation | undefined): string | undefined {
  const e = incident.evidence;
  if (!e || e.recovery.status !== 'read') return undefined;
  const g = alreadyTried(e.recovery.value, incident.server, op);
  return g ? t('evidence:ladder.alreadyTriedMark', { count: g.ran }) : undefined;
}

/** Every step's operation of the list as the EMS command a person would type, numbered like the list. */
export function emsCommandsSection(
  t: Translate,
  ops: readonly (Operation | undefined)[],
  command: (op: Operation) => string | undefined,
): Section[] {
  const lines = ops.flatMap((op, i) => {
    const text = op ? command(op) : undefined;
    return text ? [`${i + 1}. ${text}`] : [];
  });
  return lines.length > 0
    ? [
        { kind: 'text', text: t('evidence:ems.allSteps') },
        { kind: 'code', text: lines.join('\n') },
      ]
    : [];
}
