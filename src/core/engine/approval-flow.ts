/**
 * Requesting and deciding approvals. Every transition is computed by the pure lifecycle in
 * src/core/approvals and stored with compare-and-set; a lost race is re-evaluated against the
 * winner's state, which is how a second click learns "already approved by bob".
 */
import { approve, cancel, expire, isOpen, reject } from '../approvals/lifecycle.ts';
import type { Decision, Refusal } from '../approvals/lifecycle.ts';
import { hasRole, requiredApprovals, samePerson } from '../approvals/policy.ts';
import { operationDigest } from '../approvals/digest.ts';
import type { Actor, ConversationRef } from '../model/event.ts';
import type { Approval, Incident } from '../model/incident.ts';
import type { Operation } from '../model/operations.ts';
import type { Translate } from '../ports/i18n.ts';
import { showApproval } from './approval-card.ts';
import type { EngineContext } from './context.ts';
import { executeApproved } from './execute.ts';
import { changeIncident } from './incident-updates.ts';
import { operationLabel } from './labels.ts';
import { tellPrivately } from './reply.ts';
import { findServer } from './servers.ts';
import { clockTime } from './views/format.ts';
import { noticeCard } from './views/notice.ts';

export type ApprovalDecision = 'approve' | 'reject' | 'cancel';

export type DecisionOutcome =
  | { readonly ok: true; readonly approval: Approval }
  | { readonly ok: false; readonly reason: Refusal['reason'] | 'unknown-approval'; readonly message: string };

export interface StepRequest {
  readonly incident: Incident;
  readonly monitor: string;
  readonly stepId: string;
  readonly operation: Operation;
  readonly actor: Actor;
  /** More approvers than the policy asks for this step (a restart anyway during an organisation-wide failure). */
  readonly atLeast?: number;
}

export type RequestOutcome =
  | { readonly ok: true; readonly approval: Approval }
  | { readonly ok: false; readonly reason: 'not-operator' | 'already-open'; readonly message: string };

export function refusalText(t: Translate, refusal: Refusal, timeZone: string, locale: string): string {
  switch (refusal.reason) {
    case 'decided':
      return t(`refusal.decided.${refusal.state}`, {
        who: refusal.by.join(', '),
        time: clockTime(refusal.at, timeZone, locale),
      });
    case 'expired':
    case 'already-voted':
      return t(`refusal.${refusal.reason}`, { time: clockTime(refusal.at, timeZone, locale) });
    default:
      return t(`refusal.${refusal.reason}`);
  }
}

/** A state-changing step was clicked: check the requester, then open an approval request. */
export async function requestApproval(ctx: EngineContext, request: StepRequest): Promise<RequestOutcome> {
  const { incident, actor, operation } = request;
  const locale = ctx.localeOf(actor);
  const t = ctx.t(locale);
  const surface = ctx.surface(incident.conversation);
  if (!hasRole(ctx.policy, actor, 'operator')) {
    await auditRefusal(ctx, { incidentId: incident.id, actor, attempt: 'request', reason: 'not-operator', operation });
    const message = t('refusal.not-operator');
    await tellPrivately(
      surface,
      incident.conversation,
      actor,
      noticeCard(t('refusal.title'), { severity: 'warning', text: message }),
    );
    return { ok: false, reason: 'not-operator', message };
  }
  const open = (await ctx.store.listApprovals({ incidentId: incident.id })).find(
    (a) => isOpen(a) && a.monitor === request.monitor && a.stepId === request.stepId,
  );
  if (open) {
    const message = t('approval.alreadyOpen', {
      who: open.requester.displayName,
      state: t(`approval.state.${open.state}`),
    });
    await tellPrivately(
      surface,
      incident.conversation,
      actor,
      noticeCard(t('refusal.title'), { severity: 'info', text: message }),
    );
    return { ok: false, reason: 'already-open', message };
  }
  const servers = await ctx.servers();
  const target = findServer(servers, operation.server);
  const now = ctx.clock.now();
  const approval: Approval = {
    id: ctx.newId(),
    incidentId: incident.id,
    monitor: request.monitor,
    stepId: request.stepId,
    operation,
    digest: await operationDigest(operation),
    requester: actor,
    requestedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.policy.expiryMinutes * 60_000).toISOString(),
    requiredApprovals: requiredApprovals(ctx.policy, operation, target?.roles ?? [], request.atLeast),
    approvals: [],
    state: 'pending',
    version: 1,
  };
  // The audit record comes first: a request that cannot be recorded is not made.
  await ctx.audit({
    type: 'approval-requested',
    incidentId: incident.id,
    actor,
    data: {
      approvalId: approval.id,
      operation,
      digest: approval.digest,
      requiredApprovals: approval.requiredApprovals,
      expiresAt: approval.expiresAt,
    },
  });
  // The expiry timer first: a process killed in between leaves a timer that finds no approval
  // (harmless), never a pending approval that nothing will expire.
  await ctx.store.scheduleTimer({
    id: `expire:${approval.id}`,
    incidentId: incident.id,
    dueAt: approval.expiresAt,
    payload: { type: 'approval-expiry', approvalId: approval.id },
  });
  await ctx.store.insertApproval(approval);
  ctx.observer.approval?.('pending');
  const label = operationLabel(ctx.tFor(incident), operation);
  const updated = await changeIncident(ctx, incident.id, (i) => ({
    ...i,
    lastEvent: { key: 'approval.requestedEvent', vars: { who: actor.displayName, label } },
  }));
  await showApproval(ctx, approval, updated);
  return { ok: true, approval: (await ctx.store.getApproval(approval.id)) ?? approval };
}

function apply(ctx: EngineContext, a: Approval, actor: Actor, decision: ApprovalDecision, now: Date): Decision {
  switch (decision) {
    case 'approve':
      return approve(a, actor, ctx.policy, now);
    case 'reject':
      return reject(a, actor, ctx.policy, now);
    case 'cancel':
      return cancel(a, actor, now);
  }
}

/** Marks a pending approval whose time has passed as expired (idempotent; one writer wins). */
export async function expireIfDue(ctx: EngineContext, a: Approval): Promise<Approval> {
  const expired = expire(a, ctx.clock.now());
  if (!expired || !(await ctx.store.updateApproval(expired))) return (await ctx.store.getApproval(a.id)) ?? a;
  ctx.observer.approval?.('expired');
  await ctx.audit({ type: 'approval-decided', incidentId: a.incidentId, data: { approvalId: a.id, state: 'expired' } });
  const incident = await ctx.store.getIncident(a.incidentId);
  if (incident) {
    // The approval card first: it is the card a late click was on (see recordDecision).
    await showApproval(ctx, expired, incident);
    const label = operationLabel(ctx.tFor(incident), a.operation);
    await changeIncident(ctx, incident.id, (i) => ({
      ...i,
      lastEvent: { key: 'approval.expiredEvent', vars: { label } },
    }));
  }
  return expired;
}

/**
 * Approve, reject or withdraw. Refusals go to the person alone; a decision updates the approval
 * card and the diagnosis card; the vote that completes the approval runs the operation.
 */
export async function decideApproval(
  ctx: EngineContext,
  input: { approvalId: string; actor: Actor; decision: ApprovalDecision; conversation?: ConversationRef },
): Promise<DecisionOutcome> {
  const { actor, decision } = input;
  const locale = ctx.localeOf(actor);
  const t = ctx.t(locale);
  const refuse = async (reason: DecisionOutcome & { ok: false }, approval?: Approval) => {
    await auditRefusal(ctx, {
      ...(approval ? { incidentId: approval.incidentId, operation: approval.operation, state: approval.state } : {}),
      actor,
      attempt: decision,
      approvalId: input.approvalId,
      reason: reason.reason,
    });
    if (input.conversation) {
      const surface = ctx.surface(input.conversation);
      await tellPrivately(
        surface,
        input.conversation,
        actor,
        noticeCard(t('refusal.title'), { severity: 'warning', text: reason.message }),
      );
    }
    return reason;
  };
  for (let attempt = 0; attempt < 20; attempt++) {
    let current = await ctx.store.getApproval(input.approvalId);
    if (!current) return refuse({ ok: false, reason: 'unknown-approval', message: t('refusal.unknown-approval') });
    current = await expireIfDue(ctx, current);
    const result = apply(ctx, current, actor, decision, ctx.clock.now());
    if (!result.ok) {
      return refuse(
        { ok: false, reason: result.refusal.reason, message: refusalText(t, result.refusal, ctx.timeZone, locale) },
        current,
      );
    }
    if (!(await ctx.store.updateApproval(result.next))) continue; // someone else moved it: judge again
    await recordDecision(ctx, current, result.next, actor);
    if (result.next.state === 'approved') return { ok: true, approval: await executeApproved(ctx, result.next) };
    return { ok: true, approval: result.next };
  }
  throw new Error(`approval ${input.approvalId} kept changing; gave up after 20 attempts`);
}

/**
 * A refused attempt is what an auditor looks for (self-approval, a viewer approving, a late or
 * second vote), so each one is recorded with who tried what and why it was refused. It has its
 * own type: counting `approval-decided` still counts decisions. The person is told either way;
 * a record that cannot be written is reported as an error, not silently dropped.
 */
async function auditRefusal(
  ctx: EngineContext,
  r: {
    readonly incidentId?: string;
    readonly actor: Actor;
    readonly attempt: ApprovalDecision | 'request';
    readonly approvalId?: string;
    readonly reason: string;
    readonly operation?: Operation;
    readonly state?: Approval['state'];
  },
): Promise<void> {
  try {
    await ctx.audit({
      type: 'approval-refused',
      ...(r.incidentId ? { incidentId: r.incidentId } : {}),
      actor: r.actor,
      data: {
        attempt: r.attempt,
        reason: r.reason,
        ...(r.approvalId ? { approvalId: r.approvalId } : {}),
        ...(r.operation ? { operation: r.operation } : {}),
        ...(r.state ? { state: r.state } : {}),
      },
    });
  } catch (err) {
    ctx.observer.error?.('audit', err);
  }
}

async function recordDecision(ctx: EngineContext, before: Approval, after: Approval, actor: Actor): Promise<void> {
  ctx.observer.approval?.(after.state);
  await ctx.audit({
    type: 'approval-decided',
    incidentId: after.incidentId,
    actor,
    data: {
      approvalId: after.id,
      from: before.state,
      state: after.state,
      votes: after.approvals.length,
      required: after.requiredApprovals,
    },
  });
  const incident = await ctx.store.getIncident(after.incidentId);
  if (!incident) return;
  // The card the person clicked (the approval's) is updated first, so its new state is the answer
  // to the click (Teams shows the invoke's answer only if it comes within a few seconds); the
  // diagnosis card's "last event" line follows.
  await showApproval(ctx, after, incident);
  const label = operationLabel(ctx.tFor(incident), after.operation);
  const key =
    after.state === 'pending' || after.state === 'approved'
      ? 'approval.voteEvent'
      : after.state === 'rejected'
        ? 'approval.rejectedEvent'
        : 'approval.cancelledEvent';
  await changeIncident(ctx, incident.id, (i) => ({
    ...i,
    lastEvent: {
      key,
      vars: { who: actor.displayName, label, done: after.approvals.length, needed: after.requiredApprovals },
    },
  }));
}

/** "cancel" in a conversation: withdraw the actor's pending requests there. */
export async function cancelMine(ctx: EngineContext, incidentIds: readonly string[], actor: Actor): Promise<number> {
  let count = 0;
  for (const incidentId of incidentIds) {
    const pending = await ctx.store.listApprovals({ incidentId, states: ['pending'] });
    for (const a of pending.filter((p) => samePerson(p.requester, actor))) {
      const outcome = await decideApproval(ctx, { approvalId: a.id, actor, decision: 'cancel' });
      if (outcome.ok) count++;
    }
  }
  return count;
}
