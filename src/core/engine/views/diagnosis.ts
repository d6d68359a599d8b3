/**
 * The diagnosis card: one per question, updated in place as probes finish, steps run and the
 * problem resolves. Every line says what, where and when; the next step is one click away.
 */
import type { Card, CardAction, Fact, Section, Severity } from '../../model/card.ts';
import type { Finding, Incident, IncidentStatus } from '../../model/incident.ts';
import type { Translate } from '../../ports/i18n.ts';
import type { DiagnosisProgress } from '../diagnose.ts';
import { primaryFinding } from '../diagnose.ts';
import { clockTime, clockZone, probeExcerpt, seconds } from './format.ts';
import { readFacts } from './read-summary.ts';
import { joinList } from './values.ts';

export interface NextStepView {
  /** 1-based position among the steps that apply to this server. */
  readonly number: number;
  readonly total: number;
  readonly label: string;
  readonly needsApproval: boolean;
  /** More approvers than the usual one (restart anyway during an organisation-wide failure). */
  readonly approvalsNeeded?: number;
  readonly impact?: string;
  readonly note?: string;
}

export interface DiagnosisViewInput {
  readonly incident: Incident;
  readonly t: Translate;
  readonly timeZone: string;
  readonly progress?: DiagnosisProgress;
  readonly next?: NextStepView;
  readonly buttons: readonly CardAction[];
  /** Extra sections (a check's output, a wait's schedule) shown under the findings. */
  readonly extra?: readonly Section[];
  /** The server panel, shown before everything else. */
  readonly panel?: { readonly facts: readonly Fact[]; readonly sections: readonly Section[] };
  /** What Managed Availability already did, probe history, Windows events: shown above the next step. */
  readonly evidence?: { readonly facts: readonly Fact[]; readonly sections: readonly Section[] };
}

const SEVERITY: Record<IncidentStatus, Severity> = {
  checking: 'info',
  healthy: 'ok',
  transient: 'ok',
  confirmed: 'critical',
  resolved: 'ok',
  escalated: 'warning',
  failed: 'warning',
  closed: 'ok',
};

export function subject(t: Translate, incident: Pick<Incident, 'healthSet' | 'server'>): string {
  return incident.healthSet
    ? t('diag.subject', { healthSet: incident.healthSet, server: incident.server })
    : t('diag.subjectServer', { server: incident.server });
}

export function diagnosisCard(input: DiagnosisViewInput): Card {
  const { incident, t, timeZone } = input;
  const locale = incident.locale;
  const primary = primaryFinding(incident.findings, incident.healthSet);
  const status: IncidentStatus = incident.status;
  const unverifiedOnly =
    status === 'confirmed' && (primary?.verdict === 'unverified' || primary?.verdict === 'reported');
  const noise = status === 'confirmed' && (incident.notEnabled?.length ?? 0) > 0;
  // A set asked about that the server did not report: neither healthy nor broken, a question.
  const absent = status === 'failed' && (incident.absent?.healthSets.length ?? 0) > 0;
  const titleKey = absent
    ? 'diag.title.absent'
    : noise
      ? 'diag.title.noise'
      : unverifiedOnly
        ? `diag.title.${primary.verdict}`
        : `diag.title.${status}`;
  const severity: Severity = absent || noise ? 'info' : unverifiedOnly ? 'warning' : SEVERITY[status];

  const facts: Fact[] = [...(input.panel?.facts ?? [])];
  const sections: Section[] = [...(input.panel?.sections ?? [])];
  if (input.progress && status === 'checking') {
    facts.push({
      label: t('diag.fact.progress'),
      value: t('diag.progress', { done: input.progress.probesDone, total: input.progress.probesTotal }),
    });
  }
  facts.push(...readFacts(t, incident));
  if (primary) facts.push(...findingFacts(t, primary, incident, timeZone));
  const others = incident.findings.filter((f) => f !== primary);
  if (others.length > 0) {
    facts.push({
      label: t('diag.fact.others'),
      value: others
        .map((f) => t('diag.otherFinding', { monitor: f.monitor, verdict: t(`verdict.${f.verdict}`) }))
        .join(' · '),
    });
  }
  if (status === 'confirmed' && primary?.verdict === 'reported') {
    sections.push({
      kind: 'text',
      text: t('diag.reportedExplained', { monitor: primary.monitor, alert: t(`alert.${primary.alertValue}`) }),
    });
  }
  if (status === 'transient') sections.push({ kind: 'text', text: t('diag.transientExplained') });
  if (status === 'healthy') sections.push({ kind: 'text', text: t('diag.healthyExplained') });
  if (incident.absent && !absent)
    sections.push({
      kind: 'text',
      text: t('diag.absentToo', { healthSets: joinList(t, incident.absent.healthSets), server: incident.server }),
    });
  if (primary?.probeResult && primary.verdict === 'confirmed') {
    const excerpt = probeExcerpt(primary.probeResult);
    if (excerpt) sections.push({ kind: 'code', text: excerpt });
  }
  if (incident.lastEvent) sections.push({ kind: 'text', text: t(incident.lastEvent.key, incident.lastEvent.vars) });
  if (input.evidence) {
    facts.push(...input.evidence.facts);
    sections.push(...input.evidence.sections);
  }
  if (input.extra) sections.push(...input.extra);
  if (input.next) {
    const n = input.next;
    facts.push({
      label: t('diag.fact.next', { number: n.number, total: n.total }),
      value: n.needsApproval
        ? n.approvalsNeeded
          ? t('diag.needsApprovals', { label: n.label, count: n.approvalsNeeded })
          : t('diag.needsApproval', { label: n.label })
        : n.label,
    });
    if (n.impact) sections.push({ kind: 'text', text: t('diag.impact', { impact: n.impact }) });
    if (n.note) sections.push({ kind: 'text', text: n.note });
  }

  const context = t(incident.checkedInMs !== undefined ? 'diag.context' : 'diag.contextChecking', {
    who: incident.openedBy.displayName,
    seconds: seconds(incident.checkedInMs ?? 0, locale),
    // The card's one clock: the zone is said here, and every other time on the card is in it.
    time: `${clockTime(incident.openedAt, timeZone, locale, incident.updatedAt)} ${clockZone(timeZone)}`,
  });
  return {
    kind: 'diagnosis',
    title: t(titleKey, { subject: subject(t, incident) }),
    severity,
    facts,
    sections,
    actions: input.buttons,
    context,
  };
}

function findingFacts(t: Translate, f: Finding, incident: Incident, timeZone: string): Fact[] {
  const facts: Fact[] = [];
  const since = clockTime(f.since, timeZone, incident.locale, incident.updatedAt);
  facts.push({
    label: t('diag.fact.failing'),
    value: since
      ? t('diag.failingSince', { monitor: f.monitor, alert: t(`alert.${f.alertValue}`), since })
      : t('diag.failing', { monitor: f.monitor, alert: t(`alert.${f.alertValue}`) }),
  });
  if (f.probeResult) {
    facts.push({
      label: t('diag.fact.probe'),
      value: t('diag.probeResult', {
        probe: `${f.probeResult.healthSet}\\${f.probeResult.probe}`,
        server: f.probeResult.server,
        result: t(`result.${f.probeResult.resultType}`),
        seconds: seconds(f.probeResult.durationMs, incident.locale),
      }),
    });
  } else {
    facts.push({ label: t('diag.fact.probe'), value: t(f.probe ? 'diag.probeNotRun' : 'diag.noProbe') });
  }
  if (f.backend) {
    const b = f.backend;
    facts.push({
      label: t('diag.fact.backend'),
      value: b.unreadable
        ? t('diag.backendUnreadable', {
            server: b.server,
            reason: t(`unreadable.${b.unreadable.code}`, { defaultValue: t('unreadable.failed') }),
          })
        : b.unhealthy.length > 0
          ? t('diag.backendUnhealthy', {
              server: b.server,
              monitors: joinList(
                t,
                b.unhealthy.map((m) => `${m.healthSet} ${m.monitor}`),
              ),
            })
          : t('diag.backendHealthy', { server: b.server }),
    });
  }
  return facts;
}
