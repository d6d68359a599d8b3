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
}

/**
 * Durable state. Implemented on an embedded database (PGlite) and on PostgreSQL; one contract
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
  updateIncident(next: Incident): Promise<boolean>;
  listIncidents(limit: number): Promise<readonly Incident[]>;

  insertActions(actions: readonly OfferedAction[]): Promise<void>;
  getAction(id: string): Promise<OfferedAction | undefined>;

  insertApproval(approval: Approval): Promise<void>;
  getApproval(id: string): Promise<Approval | undefined>;
  updateApproval(next: Approval): Promise<boolean>;
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

  /** Cheap readiness check for /healthz. Never throws. */
  health(): Promise<{ readonly ok: boolean; readonly detail: string }>;
  close(): Promise<void>;
}
