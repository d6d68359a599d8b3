/**
 * The approval card: what will run, where, who asked, until when, who has approved so far, and
 * (once decided) what happened. Posted beside the diagnosis card and updated in place.
 */
import type { Card, CardAction, Fact, Section, Severity } from '../../model/card.ts';
import type { Approval, ApprovalState } from '../../model/incident.ts';
import type { Translate } from '../../ports/i18n.ts';
import { clockTime, clockZone } from './format.ts';
import { joinList, outcomeText } from './values.ts';

const SEVERITY: Record<ApprovalState, Severity> = {
  pending: 'warning',
  approved: 'info',
  executing: 'info',
  succeeded: 'ok',
  failed: 'critical',
  'outcome-unknown': 'critical',
  'not-started': 'warning',
  rejected: 'info',
  expired: 'info',
  cancelled: 'info',
};

export interface ApprovalViewInput {
  readonly approval: Approval;
  readonly t: Translate;
  readonly timeZone: string;
  readonly locale: string;
  /** The operation in words ("Restart MSExchangeIMAP4BE on MBX1"). */
  readonly label: string;
  readonly impact?: string;
  /** What the incident is about ("IMAP on SERVER1"). */
  readonly subject: string;
  /** Approve / Reject / Withdraw while pending. */
  readonly buttons: readonly CardAction[];
}

export function approvalCard(input: ApprovalViewInput): Card {
  const { approval: a, t, timeZone, locale } = input;
  // Times on another day than the card's latest moment carry their date; the zone is said once, in the footer.
  const latest = a.outcome?.at ?? a.decidedBy?.at ?? a.approvals.at(-1)?.at ?? a.requestedAt;
  const time = (iso: string | undefined) => clockTime(iso, timeZone, locale, latest);
  const facts: Fact[] = [
    { label: t('approval.fact.for'), value: input.subject },
    {
      label: t('approval.fact.requestedBy'),
      value: t('approval.byAt', { who: a.requester.displayName, time: time(a.requestedAt) }),
    },
  ];
  if (a.state === 'pending') facts.push({ label: t('approval.fact.expires'), value: time(a.expiresAt) });
  if (input.impact) facts.push({ label: t('approval.fact.impact'), value: input.impact });
  facts.push({
    label: t('approval.fact.approvals'),
    value:
      a.approvals.length === 0
        ? t('approval.noVotes', { needed: a.requiredApprovals })
        : t('approval.votes', {
            done: a.approvals.length,
            needed: a.requiredApprovals,
            who: joinList(
              t,
              a.approvals.map((v) => t('approval.byAt', { who: v.actor.displayName, time: time(v.at) })),
            ),
          }),
  });
  if (a.decidedBy) {
    facts.push({
      label: t('approval.fact.decided'),
      value: t('approval.byAt', { who: a.decidedBy.actor.displayName, time: time(a.decidedBy.at) }),
    });
  }
  const sections: Section[] = [];
  if (a.state === 'pending') sections.push({ kind: 'text', text: t('approval.rule', { count: a.requiredApprovals }) });
  if (a.outcome) {
    facts.push({ label: t('approval.fact.outcome'), value: t('approval.outcomeAt', { time: time(a.outcome.at) }) });
    if (a.outcome.detail || a.outcome.say)
      sections.push(
        a.outcome.say
          ? { kind: 'text', text: outcomeText(t, a.outcome, { timeZone, locale, today: latest }) }
          : { kind: 'code', text: a.outcome.detail },
      );
  }
  if (a.state === 'outcome-unknown') sections.push({ kind: 'text', text: t('approval.outcomeUnknownHelp') });
  if (a.state === 'not-started') sections.push({ kind: 'text', text: t('approval.notStartedHelp') });
  return {
    kind: 'approval',
    title: t(`approval.title.${a.state}`, { label: input.label }),
    severity: SEVERITY[a.state],
    facts,
    sections,
    actions: a.state === 'pending' ? input.buttons : [],
    context: `${t('approval.context', { id: a.id })} · ${t('clock.zone', { zone: clockZone(timeZone) })}`,
  };
}
