/**
 * The incident timeline, built from the audit trail: what was asked, what was found, which
 * probes ran with what result, who requested and approved what, what ran and how it ended.
 * Ready to paste into a support case (Markdown) or to show as a card.
 */
import type { Card } from '../model/card.ts';
import type { AuditRecord, Incident } from '../model/incident.ts';
import type { Operation } from '../model/operations.ts';
import type { Translate } from '../ports/i18n.ts';
import { operationLabel } from './labels.ts';
import { subject } from './views/diagnosis.ts';
import { clockTime, clockZone } from './views/format.ts';
import { owedSections } from './views/owed.ts';
import type { OutcomeClock } from './views/values.ts';
import { isSaid, joinList, outcomeSayText, sayText, valueWord } from './views/values.ts';

export interface TimelineLine {
  readonly at: string;
  readonly text: string;
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

function lineOf(t: Translate, r: AuditRecord, clock?: OutcomeClock): string {
  const who = r.actor?.displayName ?? 'Healthbot';
  const status = valueWord(t, 'status', str(r.data.status));
  const d = r.data;
  const label = d.operation && typeof d.operation === 'object' ? operationLabel(t, d.operation as Operation) : '';
  switch (r.type) {
    case 'command':
      // An alert's own text goes below its line as a code block (alertTextBlock), never inline.
      if (d.intent === 'alert')
        return t('alerts:timeline.line', {
          who,
          what: t(`alerts:timeline.what.${str(d.what)}`),
          state: t(`alerts:timeline.state.${str(d.state)}`, { defaultValue: str(d.state) }),
          server: str(d.server),
          healthSet: str(d.healthSet),
        });
      return t('timeline.command', { who, text: str(d.text) });
    case 'diagnosis': {
      const findings = Array.isArray(d.findings) ? (d.findings as { monitor?: string; verdict?: string }[]) : [];
      // No monitor read is not "no monitor fails" (records before this field was kept lack it).
      if (d.monitorsRead === 0) return t('timeline.diagnosisNothingRead', { server: str(d.server), status });
      if (findings.length === 0) return t('timeline.diagnosisClean', { server: str(d.server), status });
      return t('timeline.diagnosis', {
        server: str(d.server),
        status,
        findings: joinList(
          t,
          findings.map((f) =>
            t('timeline.finding', { monitor: f.monitor ?? '?', verdict: valueWord(t, 'verdict', f.verdict ?? '?') }),
          ),
        ),
      });
    }
    case 'probe':
      return t('timeline.probe', {
        probe: str(d.probe),
        server: str(d.server),
        result: valueWord(t, 'result', str(d.resultType)),
        ms: str(d.durationMs),
      });
    case 'check':
      return t('timeline.check', { who, label, result: isSaid(d.say) ? sayText(t, d.say) : str(d.summary) });
    case 'approval-requested':
      return t('timeline.approval-requested', { who, label, count: str(d.requiredApprovals) });
    case 'approval-decided':
      return t('timeline.approval-decided', {
        who,
        state: valueWord(t, 'approvalState', str(d.state)),
        votes: str(d.votes ?? 0),
        required: str(d.required ?? ''),
      });
    case 'approval-refused':
      return t('timeline.approval-refused', {
        who,
        attempt: t(`timeline.attempt.${str(d.attempt)}`, { defaultValue: str(d.attempt) }),
        what: label || str(d.approvalId),
        reason: t(`timeline.refusedBecause.${str(d.reason)}`, { defaultValue: str(d.reason) }),
      });
    case 'action-started':
      return t('timeline.action-started', { label, approvers: str(d.approvedBy) });
    case 'action-finished':
      return t('timeline.action-finished', {
        state: valueWord(t, 'approvalState', str(d.state)),
        // The outcome as a code (rendered here) or, in records from before codes were kept, the gateway's words.
        detail: isSaid(d.say)
          ? outcomeSayText(
              t,
              {
                code: d.say.key,
                vars: d.say.vars ?? {},
                ...(typeof d.quoted === 'string' ? { quoted: d.quoted } : {}),
                ...(Array.isArray(d.then)
                  ? { then: d.then.filter(isSaid).map((s) => ({ code: s.key, vars: s.vars ?? {} })) }
                  : {}),
              },
              clock,
            )
          : str(d.detail ?? d.reason),
      });
    case 'escalated':
      return t('timeline.escalated', { who });
    case 'compensation-owed':
      return t('timeline.compensation-owed', { label });
    case 'compensation-dismissed':
      return t('timeline.compensation-dismissed', { who, label, reason: str(d.reason) });
    case 'closed':
      return t('timeline.closed', { who });
    case 'ladder':
      return t(`timeline.ladder.${str(d.move)}`, {
        who,
        from: str(d.fromLabel ?? d.from),
        to: str(d.toLabel ?? d.to),
        ref: str(d.fromIncident),
      });
    case 'error':
      // Where and what as words of the reader's language; a token from a newer version stays as written.
      return t('timeline.error', {
        where: t(`checks:where.${str(d.where)}`, { defaultValue: str(d.where) }),
        code: t(`checks:error.${str(d.code)}`, { defaultValue: str(d.code) }),
      });
  }
}

/** Lines for a card: with `clock`, instants inside outcomes are the card's clock times (the export keeps ISO). */
export function buildTimeline(t: Translate, records: readonly AuditRecord[], clock?: OutcomeClock): TimelineLine[] {
  return records.map((r) => ({ at: r.at, text: lineOf(t, r, clock) }));
}

export function timelineCard(
  t: Translate,
  incident: Incident,
  records: readonly AuditRecord[],
  timeZone: string,
): Card {
  const lines = buildTimeline(t, records, { timeZone, locale: incident.locale, today: incident.updatedAt });
  return {
    kind: 'timeline',
    title: t('timeline.title', { subject: subject(t, incident) }),
    severity: 'info',
    facts: [
      { label: t('timeline.fact.question'), value: incident.question },
      {
        label: t('timeline.fact.opened'),
        value: t('approval.byAt', {
          who: incident.openedBy.displayName,
          time: `${clockTime(incident.openedAt, timeZone, incident.locale, incident.updatedAt)} ${clockZone(timeZone)}`,
        }),
      },
      { label: t('timeline.fact.status'), value: t(`status.${incident.status}`) },
    ],
    sections: [
      {
        kind: 'list',
        items: lines.map((l) => `${clockTime(l.at, timeZone, incident.locale, incident.updatedAt)} ${l.text}`),
      },
      ...(incident.owed?.length ? owedSections(t, incident.owed, timeZone, incident.locale) : []),
    ],
    actions: [],
    context: t('timeline.context', { id: incident.id, count: records.length }),
  };
}

/** Markdown for a support case: full timestamps, the probe errors verbatim in code blocks. */
/** An alert's original text as a fenced block longer than any backtick run inside it: shown as text, never as Markdown. */
function alertTextBlock(text: string): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`  ${fence}text`, ...text.split('\n').map((l) => `  ${l}`), `  ${fence}`];
}

export function timelineMarkdown(t: Translate, incident: Incident, records: readonly AuditRecord[]): string {
  const out = [
    `# ${t('timeline.title', { subject: subject(t, incident) })}`,
    '',
    `- ${t('timeline.fact.question')}: ${incident.question}`,
    `- ${t('timeline.fact.opened')}: ${incident.openedBy.displayName}, ${incident.openedAt}`,
    `- ${t('timeline.fact.status')}: ${t(`status.${incident.status}`)}`,
    `- Incident: ${incident.id}`,
    '',
    `## ${t('timeline.heading')}`,
    '',
  ];
  if (incident.owed?.length) {
    out.push(`## ${t('owed.heading', { count: incident.owed.length })}`, '');
    for (const o of incident.owed)
      out.push(`- ${t('owed.item', { label: operationLabel(t, o.operation), since: o.since })}`);
    out.push('');
  }
  for (const r of records) {
    out.push(`- \`${r.at}\` ${lineOf(t, r)}`);
    if (r.type === 'probe' && typeof r.data.error === 'string')
      out.push('', '  ```', ...r.data.error.split('\n').map((l) => `  ${l}`), '  ```', '');
    if (r.type === 'command' && r.data.intent === 'alert' && typeof r.data.text === 'string')
      out.push('', ...alertTextBlock(r.data.text), '');
  }
  out.push('', t('timeline.chain', { first: str(records[0]?.seq), last: str(records.at(-1)?.seq) }));
  return out.join('\n');
}
