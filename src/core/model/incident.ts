/**
 * What the engine remembers between events: conversations, incidents (one per diagnosis), the
 * buttons it offered, approvals and durable timers. Stores persist these as they are.
 */
import type { Actor, ConversationRef } from './event.ts';
import type { AlertValue, MonitorHealth, ProbeResult } from './exchange.ts';
import type { Operation } from './operations.ts';
import type { Section } from './card.ts';

/** Context a conversation carries, so follow-ups ("and on server2?", "rerun") need no repetition. */
export interface ConversationState {
  readonly conversation: ConversationRef;
  readonly lastServer?: string;
  readonly lastHealthSet?: string;
  readonly lastIncidentId?: string;
  readonly updatedAt: string;
}

export type Verdict =
  /** The probe succeeded on rerun: the alert was transient. */
  | 'transient'
  /** The probe failed again: the problem is real. */
  | 'confirmed'
  /** No probe exists for the monitor (counter- or event-fed), or it could not be run. */
  | 'unverified';

export interface Finding {
  readonly healthSet: string;
  readonly monitor: string;
  readonly alertValue: AlertValue;
  readonly since?: string;
  readonly targetResource?: string;
  readonly probe?: { readonly healthSet: string; readonly name: string };
  readonly probeResult?: ProbeResult;
  readonly verdict: Verdict;
  /** The back-end server named by the probe (for CTP probes), and what is unhealthy there. */
  readonly backend?: { readonly server: string; readonly unhealthy: readonly MonitorHealth[] };
}

export type IncidentStatus =
  | 'checking'
  | 'healthy'
  | 'transient'
  | 'confirmed'
  | 'resolved'
  | 'escalated'
  | 'failed';

export interface Incident {
  readonly id: string;
  readonly conversation: ConversationRef;
  readonly server: string;
  /** The health set asked about; absent when the question was about the whole server. */
  readonly healthSet?: string;
  readonly runbookId?: string;
  readonly openedBy: Actor;
  readonly openedAt: string;
  readonly question: string;
  readonly locale: string;
  readonly status: IncidentStatus;
  readonly findings: readonly Finding[];
  /**
   * The monitor whose ladder is being walked, the index of the next step, and, while a wait step
   * runs, when its timer fires.
   */
  readonly ladder?: { readonly monitor: string; readonly position: number; readonly waitingUntil?: string };
  /** The platform message of the diagnosis card, for updates in place. */
  readonly messageRef?: string;
  /** Worst alert value per health set read, for the card's summary line. */
  readonly rollup?: readonly { readonly healthSet: string; readonly alertValue: AlertValue }[];
  /** How long the diagnosis took, in milliseconds. */
  readonly checkedInMs?: number;
  /** The last thing that happened, as an i18n key and values, shown on the card. */
  readonly lastEvent?: { readonly key: string; readonly vars: Readonly<Record<string, string | number>> };
  /**
   * Sections shown with the last change only (a check's output, the list of steps), stored so
   * that any process can show the committed card again exactly.
   */
  readonly extra?: readonly Section[];
  /** Incremented on every update; updates are compare-and-set on it. */
  readonly version: number;
  readonly updatedAt: string;
}

/** What a button does. Stored, so a click is looked up by id and never trusted from the payload. */
export type ButtonCommand =
  | { readonly type: 'step'; readonly monitor: string; readonly stepId: string; readonly operation?: Operation }
  | { readonly type: 'rerun-probes' }
  | { readonly type: 'show-ladder'; readonly monitor: string }
  | { readonly type: 'escalate' }
  | { readonly type: 'approve'; readonly approvalId: string }
  | { readonly type: 'reject'; readonly approvalId: string }
  | { readonly type: 'cancel'; readonly approvalId: string };

export interface OfferedAction {
  readonly id: string;
  readonly incidentId: string;
  readonly command: ButtonCommand;
  readonly createdAt: string;
}

export type ApprovalState =
  | 'pending'
  | 'approved'
  | 'executing'
  | 'succeeded'
  | 'failed'
  | 'outcome-unknown'
  /** Approved, but its runner died before anything reached Exchange (no action-started record). */
  | 'not-started'
  | 'rejected'
  | 'expired'
  | 'cancelled';

export const TERMINAL_APPROVAL_STATES: readonly ApprovalState[] = [
  'succeeded',
  'failed',
  'outcome-unknown',
  'not-started',
  'rejected',
  'expired',
  'cancelled',
];

export interface Vote {
  readonly actor: Actor;
  readonly at: string;
}

export interface Approval {
  readonly id: string;
  readonly incidentId: string;
  readonly monitor: string;
  readonly stepId: string;
  /** Exactly what will run; the digest binds the approval to it. */
  readonly operation: Operation;
  readonly digest: string;
  readonly requester: Actor;
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly requiredApprovals: number;
  readonly approvals: readonly Vote[];
  readonly state: ApprovalState;
  /** Who rejected or cancelled it, when that happened. */
  readonly decidedBy?: Vote;
  readonly outcome?: { readonly ok: boolean; readonly detail: string; readonly at: string };
  /** The platform message of the approval card, for updates in place. */
  readonly messageRef?: string;
  /**
   * Who runs it, while it is `executing`: the owning process and its lease. The owner renews the
   * lease while the operation runs; only once it has run out may another process take it over.
   */
  readonly execution?: ExecutionLease;
  readonly version: number;
}

export interface ExecutionLease {
  readonly owner: string;
  readonly startedAt: string;
  readonly leaseUntil: string;
}

export interface Timer {
  readonly id: string;
  readonly incidentId: string;
  readonly dueAt: string;
  /** What to do when it fires; the engine interprets it. */
  readonly payload: { readonly type: string; readonly [key: string]: unknown };
  /** How many times it has been claimed, this claim included (set by `claimDueTimers`). */
  readonly attempts?: number;
}

export type AuditType =
  | 'command'
  | 'diagnosis'
  | 'probe'
  | 'check'
  | 'approval-requested'
  | 'approval-decided'
  | 'action-started'
  | 'action-finished'
  | 'escalated'
  | 'error';

export interface AuditEntry {
  readonly type: AuditType;
  readonly at: string;
  readonly incidentId?: string;
  readonly actor?: Actor;
  readonly data: { readonly [key: string]: unknown };
}

/** An audit entry as stored: numbered and chained to its predecessor. */
export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}
