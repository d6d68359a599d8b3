/**
 * The approval lifecycle as pure functions: given an approval, a person and the time, either the
 * next version of the approval or a specific refusal. Storing the result is a compare-and-set on
 * `version` (the store's guarantee), so of two racing decisions exactly one is kept.
 *
 *   pending ──approve (enough votes)──▶ approved ──▶ executing ──▶ succeeded | failed | outcome-unknown
 *                                                       └──(lease ran out, nothing started)──▶ not-started
 *      ├──reject──▶ rejected
 *      ├──(time)──▶ expired
 *      └──cancel (requester)──▶ cancelled
 */
import type { OutcomeSay } from '../model/exchange.ts';
import type { Actor } from '../model/event.ts';
import type { Approval, ApprovalState, ExecutionLease, Vote } from '../model/incident.ts';
import { TERMINAL_APPROVAL_STATES } from '../model/incident.ts';
import type { Policy } from './policy.ts';
import { hasRole, samePerson } from './policy.ts';

export type Refusal =
  | { readonly reason: 'own-request' }
  | { readonly reason: 'not-approver' }
  | { readonly reason: 'not-operator' }
  | { readonly reason: 'not-requester' }
  | { readonly reason: 'already-voted'; readonly at: string }
  | { readonly reason: 'expired'; readonly at: string }
  /** Someone got there first: the approval is no longer pending. */
  | { readonly reason: 'decided'; readonly state: ApprovalState; readonly by: readonly string[]; readonly at?: string };

export type Decision =
  { readonly ok: true; readonly next: Approval } | { readonly ok: false; readonly refusal: Refusal };

const refuse = (refusal: Refusal): Decision => ({ ok: false, refusal });

export function isExpired(a: Approval, now: Date): boolean {
  return a.state === 'pending' && now.getTime() >= new Date(a.expiresAt).getTime();
}

export function isOpen(a: Approval): boolean {
  return !TERMINAL_APPROVAL_STATES.includes(a.state);
}

/** Who decided a non-pending approval, for "already approved by bob". */
export function deciders(a: Approval): string[] {
  if (a.decidedBy) return [a.decidedBy.actor.displayName];
  return a.approvals.map((v) => v.actor.displayName);
}

function notPending(a: Approval): Refusal {
  if (a.state === 'expired') return { reason: 'expired', at: a.expiresAt };
  const at = a.decidedBy?.at ?? a.approvals.at(-1)?.at;
  return { reason: 'decided', state: a.state, by: deciders(a), ...(at ? { at } : {}) };
}

function bump(a: Approval, changes: Partial<Approval>): Approval {
  return { ...a, ...changes, version: a.version + 1 };
}

/**
 * An approver's vote. The requester can never approve their own request, whatever their roles;
 * the same person cannot vote twice; the request becomes `approved` with enough distinct votes.
 */
export function approve(a: Approval, actor: Actor, policy: Policy, now: Date): Decision {
  if (a.state !== 'pending') return refuse(notPending(a));
  if (isExpired(a, now)) return refuse({ reason: 'expired', at: a.expiresAt });
  if (samePerson(a.requester, actor)) return refuse({ reason: 'own-request' });
  if (!hasRole(policy, actor, 'approver')) return refuse({ reason: 'not-approver' });
  const earlier = a.approvals.find((v) => samePerson(v.actor, actor));
  if (earlier) return refuse({ reason: 'already-voted', at: earlier.at });
  const vote: Vote = { actor, at: now.toISOString() };
  const approvals = [...a.approvals, vote];
  return {
    ok: true,
    next: bump(a, { approvals, state: approvals.length >= a.requiredApprovals ? 'approved' : 'pending' }),
  };
}

export function reject(a: Approval, actor: Actor, policy: Policy, now: Date): Decision {
  if (a.state !== 'pending') return refuse(notPending(a));
  if (isExpired(a, now)) return refuse({ reason: 'expired', at: a.expiresAt });
  // The requester withdraws with `cancel`; a rejection is another approver's judgement.
  if (samePerson(a.requester, actor)) return refuse({ reason: 'own-request' });
  if (!hasRole(policy, actor, 'approver')) return refuse({ reason: 'not-approver' });
  return { ok: true, next: bump(a, { state: 'rejected', decidedBy: { actor, at: now.toISOString() } }) };
}

export function cancel(a: Approval, actor: Actor, now: Date): Decision {
  if (a.state !== 'pending') return refuse(notPending(a));
  if (!samePerson(a.requester, actor)) return refuse({ reason: 'not-requester' });
  return { ok: true, next: bump(a, { state: 'cancelled', decidedBy: { actor, at: now.toISOString() } }) };
}

export function expire(a: Approval, now: Date): Approval | undefined {
  return isExpired(a, now) ? bump(a, { state: 'expired' }) : undefined;
}

declare const executable: unique symbol;

/**
 * Proof that an approval reached `executing` through `startExecution`. The symbol is not exported,
 * so no other code can make one: the executor takes only this (DESIGN convention 4).
 */
export interface ExecutionTicket {
  readonly approval: Approval;
  readonly [executable]: true;
}

/**
 * approved → executing: the only way into execution, and only from `approved`. The caller stores
 * `ticket.approval` with compare-and-set and runs the operation only if it won.
 */
export function startExecution(a: Approval, lease: ExecutionLease): ExecutionTicket | undefined {
  if (a.state !== 'approved') return undefined;
  return { approval: bump(a, { state: 'executing', execution: lease }) } as ExecutionTicket;
}

/** True when nobody holds the execution any more: its lease ran out (or it never had one). */
export function leaseExpired(a: Approval, now: Date): boolean {
  return a.state === 'executing' && (!a.execution || new Date(a.execution.leaseUntil).getTime() <= now.getTime());
}

/**
 * executing → outcome-unknown or not-started, for an execution whose owner is gone. Whether
 * anything reached Exchange is known from the audit trail: an `action-started` record is written
 * before the operation is sent, so without one nothing was sent.
 */
export function takeOverExecution(
  a: Approval,
  started: boolean,
  now: Date,
  options: { ownerGone?: boolean } = {},
): Approval | undefined {
  if (a.state !== 'executing' || (!options.ownerGone && !leaseExpired(a, now))) return undefined;
  const detail = started
    ? 'the bot stopped while this was running; check the server before trying again'
    : 'approved, but the bot stopped before running it; nothing reached Exchange';
  return bump(a, {
    state: started ? 'outcome-unknown' : 'not-started',
    outcome: {
      ok: false,
      detail,
      say: { code: started ? 'interruptedWhileRunning' : 'interruptedBeforeRunning', vars: {} },
      at: now.toISOString(),
    },
  });
}

export function finishExecution(
  ticket: ExecutionTicket,
  outcome: { ok: boolean; detail: string; say?: OutcomeSay },
  state: 'succeeded' | 'failed' | 'outcome-unknown',
  now: Date,
): Approval {
  return bump(ticket.approval, { state, outcome: { ...outcome, at: now.toISOString() } });
}
