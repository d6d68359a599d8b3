import type { ConversationRef } from '../model/event.ts';
import type {
  Approval,
  ApprovalState,
  AuditEntry,
  AuditHead,
  AuditRecord,
  ConversationState,
  Incident,
  OfferedAction,
  Timer,
} from '../model/incident.ts';

export interface ApprovalFilter {
  readonly states?: readonly ApprovalState[];
  readonly incidentId?: string;
  /** Approvals of any of these incidents. */
  readonly incidentIds?: readonly string[];
}

/** Incidents on one server, and optionally one health set; names compare case-insensitively. */
export interface ProblemFilter {
  readonly server: string;
  readonly healthSet?: string;
}

/**
 * Durable state. Implemented on an embedded database (SQLite) and on PostgreSQL; one contract
 * suite proves both.
 *
 * Guarantees:
 * - Every update of an incident or approval is a compare-and-set on `version`: it succeeds only
 *   when the stored version is `next.version - 1`, so of two racing writers exactly one wins,
 *   across processes sharing the database.
 * - `claimEvent` returns true exactly once per event id, ever.
 * - `claimDueTimers` hands each due timer to exactly one caller for `leaseMs`: it comes due again
 *   after the lease unless `completeTimer` removed it, so a process that dies while firing a
 *   timer loses nothing (timers fire at least once; what they do is safe to repeat).
 * - The audit log is append-only; `appendAudit` numbers, signs and chains records atomically
 *   and throws when the record could not be written durably.
 */
export interface Store {
  claimEvent(eventId: string, at: Date): Promise<boolean>;

  getConversation(conversation: ConversationRef): Promise<ConversationState | undefined>;
  /** Last writer wins: conversation context is a convenience, not a safety property. */
  putConversation(state: ConversationState): Promise<void>;

  insertIncident(incident: Incident): Promise<void>;
  getIncident(id: string): Promise<Incident | undefined>;
  /**
   * Compare-and-set on `version`. A card reference already recorded by `setIncidentMessageRef`
   * is kept when `next` has none.
   */
  updateIncident(next: Incident): Promise<boolean>;
  /**
   * Records where the incident's card is now (the card is shown after its state is committed).
   * It does not change the version, so it never makes a concurrent change lose its compare-and-set.
   */
  setIncidentMessageRef(id: string, messageRef: string): Promise<void>;
  /** The newest first; with `on`, only those on that server (and health set). */
  listIncidents(limit: number, on?: ProblemFilter): Promise<readonly Incident[]>;

  insertActions(actions: readonly OfferedAction[]): Promise<void>;
  getAction(id: string): Promise<OfferedAction | undefined>;

  insertApproval(approval: Approval): Promise<void>;
  getApproval(id: string): Promise<Approval | undefined>;
  /**
   * Compare-and-set on `version`. A card reference already recorded by `setApprovalMessageRef`
   * is kept when `next` has none (the writer read the approval before the card was shown).
   */
  updateApproval(next: Approval): Promise<boolean>;
  /**
   * Records where the approval's card is, once (false when one is recorded already). It does not
   * change the version: where a card sits is not a decision, and must never make a decision lose
   * its compare-and-set.
   */
  setApprovalMessageRef(id: string, messageRef: string): Promise<boolean>;
  /**
   * Extends the lease of an execution the caller owns (true), while it is still `executing` and
   * still theirs (false otherwise). It does not change the version.
   */
  renewExecutionLease(id: string, owner: string, leaseUntil: string): Promise<boolean>;
  /**
   * Compare-and-set like `updateApproval`, and only while the stored approval is `executing` with
   * a lease that ran out before `now`: an owner that renewed its lease meanwhile keeps it.
   */
  takeOverExecution(next: Approval, now: Date): Promise<boolean>;
  listApprovals(filter?: ApprovalFilter): Promise<readonly Approval[]>;

  scheduleTimer(timer: Timer): Promise<void>;
  claimDueTimers(now: Date, limit: number, leaseMs: number): Promise<readonly Timer[]>;
  completeTimer(id: string): Promise<void>;
  cancelTimers(incidentId: string): Promise<void>;

  /**
   * Numbers the entry (the next sequence number, no gaps) and signs it with the audit key the
   * store was opened with, chained to the record before it.
   */
  appendAudit(entry: AuditEntry): Promise<AuditRecord>;
  /** In sequence order, each field as stored (what verification checks is what readers see). */
  readAudit(filter?: { readonly incidentId?: string }): Promise<readonly AuditRecord[]>;
  /** The newest record's sequence number, MAC and time; undefined while the trail is empty. */
  auditHead(): Promise<AuditHead | undefined>;

  /**
   * Small named values adapters keep across restarts (a Teams channel's conversation reference
   * for alerts, a Slack team's settings). Keys are namespaced by the adapter (`teams:alerts`).
   * Last writer wins.
   */
  getValue<T = unknown>(key: string): Promise<T | undefined>;
  putValue(key: string, value: unknown): Promise<void>;
  /**
   * Compare-and-set on a named value: writes `next` (or removes the value when `next` is
   * undefined) only while the stored value equals `expected` as JSON (absent when `expected` is
   * undefined). Of racing writers across processes exactly one wins; the others get false.
   */
  swapValue(key: string, expected: unknown, next: unknown): Promise<boolean>;
  /**
   * Stores each value whose key is not taken yet, all in one write (one commit for a burst), and
   * answers the keys it stored; a key given twice is stored once, for its first value.
   */
  insertValues(entries: readonly { readonly key: string; readonly value: unknown }[]): Promise<readonly string[]>;
  /** Named values whose key starts with `prefix`, in key order, at most `limit`. */
  listValues<T = unknown>(
    prefix: string,
    limit: number,
  ): Promise<readonly { readonly key: string; readonly value: T }[]>;

  /**
   * True when no other process can use this database at the same time (the embedded database is
   * locked to one process): whatever another owner left behind was left by a process that is gone.
   */
  readonly exclusive?: boolean;
  /** Incidents in the given states, newest first. */
  listIncidentsByStatus(statuses: readonly Incident['status'][], limit: number): Promise<readonly Incident[]>;

  /** Cheap readiness check for /healthz. Never throws. */
  health(): Promise<{ readonly ok: boolean; readonly detail: string }>;
  close(): Promise<void>;
}
