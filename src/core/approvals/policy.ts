/**
 * Who may do what. The policy is data (from the policy file or the lab's personas); these
 * functions are the one place that interprets it, so the Slack, Teams, web and CLI fronts all
 * apply the same rules.
 */
import type { Actor } from '../model/event.ts';
import type { ServerRole } from '../model/exchange.ts';
import type { Impact, Operation, OperationKind } from '../model/operations.ts';
import { OPERATION_TRAITS } from '../model/operations.ts';

/**
 * One entry of a role list. Exactly one of `userId`, `directoryId` or `group` names the person or
 * group; `platform` narrows a user id or group to one chat platform (ids are only unique there).
 */
export interface Principal {
  readonly platform?: string;
  readonly userId?: string;
  readonly directoryId?: string;
  readonly group?: string;
}

export interface ApprovalRule {
  readonly operation: OperationKind;
  /** Applies only when the target server has this role. */
  readonly role?: ServerRole;
  readonly approvals: number;
}

export interface Policy {
  /** Who may ask questions: everyone in the channel, or a list. */
  readonly askers: 'everyone' | readonly Principal[];
  /** Who may request a state-changing step. */
  readonly operators: readonly Principal[];
  /** Who may approve or reject one. */
  readonly approvers: readonly Principal[];
  /** Approvals needed by impact; never below one (the two-person rule). */
  readonly approvalsByImpact: Readonly<Record<Exclude<Impact, 'none'>, number>>;
  /** Raise the number for particular operations (e.g. restarting a Mailbox server). */
  readonly rules: readonly ApprovalRule[];
  readonly expiryMinutes: number;
  /** The longest a time-boxed monitoring override the bot offers may last (hours); 24 when not set. */
  readonly maxOverrideHours?: number;
}

export type RoleName = 'asker' | 'operator' | 'approver';

const lower = (s: string | undefined) => s?.trim().toLowerCase();

export function matches(principal: Principal, actor: Actor): boolean {
  if (principal.platform && principal.platform !== actor.platform) return false;
  if (principal.userId !== undefined) return principal.userId === actor.userId;
  if (principal.directoryId !== undefined)
    return !!actor.directoryId && lower(principal.directoryId) === lower(actor.directoryId);
  if (principal.group !== undefined) return (actor.groups ?? []).some((g) => lower(g) === lower(principal.group));
  return false;
}

export function hasRole(policy: Policy, actor: Actor, role: RoleName): boolean {
  switch (role) {
    case 'asker':
      return policy.askers === 'everyone' || policy.askers.some((p) => matches(p, actor));
    case 'operator':
      return policy.operators.some((p) => matches(p, actor));
    case 'approver':
      return policy.approvers.some((p) => matches(p, actor));
  }
}

/**
 * Two actors are the same person when their directory identities match (the same person on two
 * platforms) or when they are the same user on the same platform.
 */
export function samePerson(a: Actor, b: Actor): boolean {
  if (a.directoryId && b.directoryId && lower(a.directoryId) === lower(b.directoryId)) return true;
  return a.platform === b.platform && a.userId === b.userId;
}

/**
 * How many distinct approvers the operation needs on a server with these roles (at least one, and
 * at least `atLeast`: a step the engine asks more of, such as a restart during an organisation-wide failure).
 */
export function requiredApprovals(policy: Policy, op: Operation, roles: readonly ServerRole[], atLeast = 1): number {
  const impact = OPERATION_TRAITS[op.kind].impact;
  let needed = impact === 'none' ? 1 : policy.approvalsByImpact[impact];
  for (const rule of policy.rules) {
    if (rule.operation !== op.kind) continue;
    if (rule.role && !roles.includes(rule.role)) continue;
    needed = Math.max(needed, rule.approvals);
  }
  return Math.max(1, atLeast, needed);
}

/** The policy when none is configured: everyone asks, nobody may change anything. */
export const LOCKED_POLICY: Policy = {
  askers: 'everyone',
  operators: [],
  approvers: [],
  approvalsByImpact: { low: 1, medium: 1, high: 1 },
  rules: [],
  expiryMinutes: 15,
};
