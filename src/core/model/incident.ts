/**
 * What the engine remembers between events: conversations, incidents (one per diagnosis), the
 * buttons it offered, approvals and durable timers. Stores persist these as they are.
 */
import type { Evidence } from './evidence.ts';
import type { Actor, ConversationRef } from './event.ts';
import type {
  ActivationPolicy,
  AlertValue,
  OutcomeSay,
  ComponentState,
  MonitorHealth,
  ProbeResult,
} from './exchange.ts';
import type { Operation } from './operations.ts';
import type { Section } from './card.ts';
import type { ServerContext } from './server-context.ts';
import type { Locale } from '../ports/i18n.ts';

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
  /**
   * The monitor has no probe (it is fed by performance counters or events): Get-ServerHealth's
   * AlertValue is the verdict. A passing probe of some other monitor says nothing about it.
   */
  | 'reported'
  /** The monitor's probe could not be run, or the monitor is not in any runbook. */
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
  /**
   * The back-end server named by the probe (for CTP probes), and what is unhealthy there. When its
   * health could not be read, `unreadable` says why and `unhealthy` is empty because nothing is
   * known, not because nothing is wrong.
   */
  readonly backend?: {
    readonly server: string;
    readonly unhealthy: readonly MonitorHealth[];
    readonly unreadable?: { readonly code: string };
  };
}

/** One health set read by a diagnosis. */
export interface RollupEntry {
  readonly healthSet: string;
  readonly alertValue: AlertValue;
  /** How many monitor rows Get-ServerHealth returned for it (absent on incidents stored before this was kept). */
  readonly monitorCount?: number;
  /** Their names, kept when the question was about a health set (a whole server has too many). */
  readonly monitors?: readonly string[];
}

export type IncidentStatus =
  | 'checking'
  | 'healthy'
  | 'transient'
  | 'confirmed'
  | 'resolved'
  | 'escalated'
  | 'failed'
  /** A person closed it; nothing was owed, or what was owed was dismissed on the record. */
  | 'closed';

export interface NotEnabled {
  readonly server: string;
  readonly service: string;
  readonly status: string;
  readonly startType: string;
}

export interface HeldComponents {
  readonly components: readonly ComponentState[];
  /** The server takes no active databases (activation blocked), as maintenance leaves it. */
  readonly activationBlocked: boolean;
  /** A DAG member's cluster node, read when maintenance holds the server (Paused: it is resumed on the way out). */
  readonly clusterNode?: string;
  /** Get-ServerComponentState could not be read: said so, never taken as all Active. */
  readonly unreadable?: boolean;
}

/**
 * The phases of a restart, in order: the server stops answering (or answers with an older boot
 * time), answers again with a newer LastBootUpTime, its Exchange services run, every component is
 * Active, then Managed Availability gets a settle time before the probe is rerun.
 */
export const REBOOT_PHASES = ['going-down', 'booted', 'services', 'components', 'settling'] as const;
export type RebootPhase = (typeof REBOOT_PHASES)[number];

export interface RebootWatch {
  readonly server: string;
  /** ISO time the restart was issued; a boot after it is the new one. */
  readonly issuedAt: string;
  /** The phase being waited for now, or `not-back` when the limit passed first. */
  readonly phase: RebootPhase | 'not-back';
  /** ISO times each finished phase was seen. */
  readonly seen: Readonly<Partial<Record<RebootPhase, string>>>;
  /** Past this, a server that is not back is reported as such. */
  readonly deadline: string;
  readonly settleUntil?: string;
  /** What to say and verify once it is over: the approved step and its monitor. */
  readonly after: {
    readonly approverNames: string;
    readonly label: string;
    readonly healthSet: string;
    readonly monitor: string;
  };
  /** Components this incident took offline on purpose before the restart: not waited for. */
  readonly expectInactive?: readonly string[];
  /** What the last reading showed that is still missing (services not running, components not Active). */
  readonly waitingOn?: readonly string[];
}

/**
 * A compensating step that is owed: its earlier step ran, so the server is not as it was found
 * (activation blocked, logging on, a component Inactive) until this runs or is dismissed.
 */
export interface OwedStep {
  readonly monitor: string;
  /** The compensating step's id in the monitor's ladder. */
  readonly stepId: string;
  /** The step it puts back, which ran. */
  readonly undoes: string;
  /** Exactly what will run, resolved when the earlier step ran. */
  readonly operation: Operation;
  /** ISO time the earlier step ran. */
  readonly since: string;
}

/**
 * A server's activation settings as the first move-now of an incident found them. A retried move-now
 * finds its own Blocked; only this first reading says what allowing activation again restores.
 */
export interface ActivationFound {
  readonly server: string;
  readonly policy: ActivationPolicy;
  readonly disabledAndMoveNow?: boolean;
  /** ISO time it was read. */
  readonly at: string;
  /** Taken over from an earlier incident on the same server that still owes the put-back. */
  readonly fromIncident?: string;
}

/** An optional step offered once its earlier step ran (`offerAfter`): a decision of its own, never owed. */
export interface FollowUp {
  readonly monitor: string;
  readonly stepId: string;
  /** The step whose success opened it. */
  readonly after: string;
  readonly operation: Operation;
  readonly since: string;
}

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
  /** The language the incident's cards are written in (the asker's, resolved to a supported one). */
  readonly locale: Locale;
  readonly status: IncidentStatus;
  readonly findings: readonly Finding[];
  /**
   * The monitor whose ladder is being walked, the index of the next step, and, while a wait step
   * runs, when its timer fires.
   */
  readonly ladder?: {
    readonly monitor: string;
    readonly position: number;
    readonly waitingUntil?: string;
    /** The back end whose own ladder replaced the Client Access steps (the back-end gate); absent: the incident's server. */
    readonly server?: string;
    /** Steps a person skipped (manual steps marked "Skip"), by id: shown as skipped in the list of steps. */
    readonly skipped?: readonly string[];
  };
  /**
   * Server components of the runbook (and those held by the same requesters) that are not Active
   * on the server, read with the diagnosis; while any is held, setting it Active comes first.
   */
  readonly held?: HeldComponents;
  /** Before any button: version, server state, overrides and blast radius, each read or said not read. */
  readonly serverContext?: ServerContext;
  /** Services the ladder would restart that are not meant to run here: the alert is noise. */
  readonly notEnabled?: readonly NotEnabled[];
  /** A server restart being waited out: nothing is judged until its phases are over. */
  readonly reboot?: RebootWatch;
  /** What earlier incidents on the same server still owe (left without closing): shown, not lost. */
  readonly owedElsewhere?: readonly (OwedStep & { readonly incidentId: string })[];
  /** Compensating steps owed because their earlier step ran; shown until done or dismissed. */
  readonly owed?: readonly OwedStep[];
  /** What activation was on each server before this incident first blocked it: kept across retries. */
  readonly activationFound?: readonly ActivationFound[];
  /** Optional follow-ups offered because their earlier step ran (moving active copies back). */
  readonly followUps?: readonly FollowUp[];
  /** The platform message of the diagnosis card, for updates in place. */
  readonly messageRef?: string;
  /** The watched monitor's last two check results (set by reruns), oldest first. */
  readonly checks?: readonly CheckRecord[];
  /** Another open incident or pending approval on the same problem, found when this one was asked for. */
  readonly ongoing?: Ongoing;
  /** Worst alert value per health set read, for the card's summary line, with what was read of it. */
  readonly rollup?: readonly RollupEntry[];
  /**
   * The health sets asked about of which Get-ServerHealth reported no monitor: nothing was read
   * for them, so the card says so (is the set present on this version?) and never calls them healthy.
   */
  readonly absent?: { readonly healthSets: readonly string[] };
  /** How long the diagnosis took, in milliseconds. */
  readonly checkedInMs?: number;
  /** What Managed Availability already did, the probes' recent history, Windows events (read beside the probes). */
  readonly evidence?: Evidence;
  /** The last thing that happened, as an i18n key and values, shown on the card. */
  readonly lastEvent?: { readonly key: string; readonly vars: Readonly<Record<string, string | number>> };
  /**
   * Sections shown with the last change only (a check's output, the list of steps), stored so
   * that any process can show the committed card again exactly.
   */
  readonly extra?: readonly Section[];
  /** The list of steps is open (with the last change only, like `extra`): each step is offered as a jump. */
  readonly stepsOpen?: true;
  /** Incremented on every update; updates are compare-and-set on it. */
  readonly version: number;
  readonly updatedAt: string;
}

/**
 * An incident already open on the same problem (server and health set), as it stood when someone
 * asked again: which one, the step it is on, who is on it and since when.
 */
export interface Ongoing {
  readonly incidentId: string;
  /** Short form of the id, for people to say and see. */
  readonly ref: string;
  /** Whether it lives in the same conversation (continued in place) or another one. */
  readonly sameConversation: boolean;
  readonly openedBy: string;
  readonly openedAt: string;
  /** The step it is on: its number among the steps that apply, and its index on the ladder. */
  readonly step?: {
    readonly number: number;
    readonly total: number;
    readonly label: string;
    readonly position: number;
  };
  /** A pending approval on it: who asked, when, for what, and who may approve. */
  readonly approval?: {
    readonly requester: string;
    readonly requestedAt: string;
    readonly label: string;
    readonly approvers: string;
    readonly needed: number;
  };
}

/** One result of the watched monitor's check, kept so a rerun shows the previous one beside the new one. */
export interface CheckRecord {
  readonly at: string;
  /** The probe (`HealthSet\Probe`), or the monitor when it has none. */
  readonly probe: string;
  readonly outcome: 'failing' | 'passing' | 'unread';
}

/** What a button does. Stored, so a click is looked up by id and never trusted from the payload. */
export type ButtonCommand =
  | {
      readonly type: 'step';
      readonly monitor: string;
      readonly stepId: string;
      readonly operation?: Operation;
      /** A restart offered although the failure is organisation-wide: it needs two approvers. */
      readonly anyway?: true;
    }
  | { readonly type: 'rerun-probes' }
  /** A person says how a manual step went: done (the bot reads again) or skipped. */
  | { readonly type: 'manual'; readonly monitor: string; readonly stepId: string; readonly outcome: 'done' | 'skipped' }
  /** Take over the ladder position of another open incident on the same problem. */
  | { readonly type: 'continue'; readonly incidentId: string }
  | { readonly type: 'show-ladder'; readonly monitor: string }
  /** Go to a step of the open list of steps (audited); a state-changing step still needs its approval. */
  | { readonly type: 'jump'; readonly monitor: string; readonly stepId: string }
  | { readonly type: 'escalate' }
  /** Set a held component Active (or allow activation): the fix that comes before the ladder. */
  | { readonly type: 'fix'; readonly monitor: string; readonly stepId: string; readonly operation: Operation }
  /** A time-boxed monitoring override for a noise alert (it needs an approval like any action). */
  | { readonly type: 'override'; readonly monitor: string; readonly operation: Operation }
  /** Diagnose the back end the probe named, for its own ladder (the gate's way on). */
  | { readonly type: 'switch-backend'; readonly server: string; readonly healthSet: string }
  /** Run an owed compensating step (it needs an approval like any action). */
  | { readonly type: 'compensate'; readonly monitor: string; readonly stepId: string }
  /** Give up an owed compensating step on the record, so the incident can be closed. */
  | { readonly type: 'dismiss-owed'; readonly monitor: string; readonly stepId: string }
  | { readonly type: 'close' }
  /** Request an offered optional follow-up (it needs an approval like any action). */
  | { readonly type: 'follow-up'; readonly monitor: string; readonly stepId: string }
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
  readonly outcome?: { readonly ok: boolean; readonly detail: string; readonly say?: OutcomeSay; readonly at: string };
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
  /** Someone tried to request, approve, reject or withdraw and was refused: who, what and why. */
  | 'approval-refused'
  | 'action-started'
  | 'action-finished'
  | 'escalated'
  | 'compensation-owed'
  | 'compensation-dismissed'
  /** A move on the ladder by a person: a manual step done or skipped, a jump, a continuation. */
  | 'ladder'
  | 'closed'
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
  /** The record's MAC under the audit key (a plain SHA-256 for records written before keying). */
  readonly hash: string;
  /** Fingerprint of the key that signed it; absent on records written before the trail was keyed. */
  readonly keyId?: string;
}

/** The head of the audit chain, to be written somewhere outside the database (an anchor). */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
  /** When the head record was written. */
  readonly at: string;
}
