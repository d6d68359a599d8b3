/**
 * Showing an approval: its card (with Approve, Reject and Withdraw while pending) posted beside
 * the diagnosis card and updated in place as it moves through its lifecycle.
 */
import type { Approval, Incident, OfferedAction } from '../model/incident.ts';
import type { Card } from '../model/card.ts';
import type { EngineContext } from './context.ts';
import { operationImpact, operationLabel, stepImpact } from './labels.ts';
import type { Step } from '../model/runbook.ts';
import { button } from './present.ts';
import { showCard } from './reply.ts';
import { approvalCard } from './views/approval.ts';
import { subject } from './views/diagnosis.ts';
import { ownEndpointNote } from './own-endpoint.ts';
import { gatedFinding } from './backend-ladder.ts';

/** The runbook step an approval was requested for, to show the runbook's own impact words. */
export function stepOfApproval(ctx: EngineContext, approval: Approval, incident: Incident): Step | undefined {
  // On the back end's ladder (the gate switched to it), the monitor is one the back end reported.
  const finding =
    incident.findings.find((f) => f.monitor === approval.monitor) ??
    gatedFinding(incident)?.backend?.unhealthy.find((m) => m.monitor === approval.monitor);
  const known = finding ? ctx.catalogue.monitor(finding.healthSet, finding.monitor) : undefined;
  return known?.monitor.ladder.find((s) => s.id === approval.stepId);
}

export async function showApproval(ctx: EngineContext, approval: Approval, incident: Incident): Promise<void> {
  const card = await approvalCardOf(ctx, approval, incident);
  const surface = ctx.surface(incident.conversation);
  const ref = await showCard(surface, incident.conversation, approval.messageRef, card);
  if (ref === approval.messageRef) return;
  // Remember where the card is, so later states update it. This must not change the approval's
  // version: a deciding vote that showed the card would otherwise lose its own next
  // compare-and-set (approved → executing) and the step would never run.
  await ctx.store.setApprovalMessageRef(approval.id, ref);
}

/** The approval's card as it stands, with its buttons stored (a page shown again after a restart uses it too). */
export async function approvalCardOf(ctx: EngineContext, approval: Approval, incident: Incident): Promise<Card> {
  const locale = ctx.resolveLocale(incident.locale);
  const t = ctx.t(locale);
  const offered: OfferedAction[] = [];
  const buttons =
    approval.state === 'pending'
      ? [
          // The requester neither approves nor rejects their own request; only they withdraw it.
          button(
            ctx,
            incident,
            { type: 'approve', approvalId: approval.id },
            {
              label: t('approval.button.approve'),
              style: 'primary',
              audience: { role: 'approver', notBy: approval.requester },
            },
          ),
          button(
            ctx,
            incident,
            { type: 'reject', approvalId: approval.id },
            {
              label: t('approval.button.reject'),
              style: 'danger',
              audience: { role: 'approver', notBy: approval.requester },
            },
          ),
          button(
            ctx,
            incident,
            { type: 'cancel', approvalId: approval.id },
            { label: t('approval.button.cancel'), style: 'default', audience: { onlyBy: approval.requester } },
          ),
        ]
      : [];
  for (const b of buttons) offered.push(b.offered);
  if (offered.length > 0) await ctx.store.insertActions(offered);
  return approvalCard({
    approval,
    t,
    timeZone: ctx.timeZone,
    locale,
    label: operationLabel(t, approval.operation),
    impact: approvalImpact(ctx, approval, incident, t),
    subject: subject(t, incident),
    buttons: buttons.map((b) => b.action),
  });
}

function approvalImpact(
  ctx: EngineContext,
  approval: Approval,
  incident: Incident,
  t: ReturnType<EngineContext['t']>,
): string {
  const step = stepOfApproval(ctx, approval, incident);
  const impact = (step && stepImpact(t, step, approval.operation)) || operationImpact(t, approval.operation);
  // Cutting the bot's own Exchange endpoint is part of the impact: said before anyone approves.
  const own = ownEndpointNote(ctx, t, approval.operation);
  return own ? `${impact} ${own}` : impact;
}
