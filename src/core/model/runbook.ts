/**
 * Runbooks are data (`runbooks/*.yaml`), validated when loaded. These are the types the engine
 * walks; `src/runbooks` turns YAML into them and rejects anything it does not understand.
 *
 * Texts are i18n keys in the `runbooks` namespace of `locales/<lng>/runbooks.json`.
 * Labels of operations (restart X on Y) are generated from the operation catalogue, so a runbook
 * only carries the words that are specific to it.
 */
import type { ServerRole } from './exchange.ts';
import type {
  AppPoolName,
  ComponentName,
  ComponentRequester,
  DatabaseActivationMode,
  Impact,
  OperationKind,
  ServiceName,
} from './operations.ts';
import type { MailProtocol } from './exchange.ts';

/** A health set the runbook covers, with the names people type for it. */
export interface HealthSetDef {
  /** Exact Managed Availability name, e.g. `IMAP.Proxy`. */
  readonly name: string;
  /** Lower-case words and phrases that mean this health set: `imap4`, `imap proxy`. */
  readonly aliases: readonly string[];
  /** The roles whose servers run this health set. */
  readonly roles: readonly ServerRole[];
  /** The Exchange versions that have it (UM: 2013 and 2016 only); absent means every version. */
  readonly versions?: readonly ExchangeVersion[];
}

export type ExchangeVersion = '2013' | '2016' | '2019' | 'SE';

/**
 * Where a step runs. `server` is the server the question was about; `backend` is the Mailbox
 * server the failing probe reported (for CTP probes, the `_Mbx:` value in the probe's error).
 */
export type StepTarget = 'server' | 'backend';

/** Parameters a step passes to its operation; the server comes from the target. */
export interface StepParams {
  readonly service?: ServiceName;
  readonly appPool?: AppPoolName;
  readonly protocol?: MailProtocol;
  readonly enabled?: boolean;
  readonly mode?: DatabaseActivationMode;
  /** For `get-server-health` checks: which health sets to read. */
  readonly healthSets?: readonly string[];
  /** For `set-server-component-state`: which component, to which state, as which requester. */
  readonly component?: ComponentName;
  readonly state?: 'Active' | 'Inactive' | 'Draining';
  readonly requester?: ComponentRequester;
}

/** Applies the step only when the target server has (or lacks) a role. */
export interface StepCondition {
  readonly role?: ServerRole;
  readonly notRole?: ServerRole;
  /**
   * Only for DAG members (true) or standalone Mailbox servers (false): moving databases off needs
   * somewhere to move them. A server whose membership the inventory did not report counts as a member.
   */
  readonly inDag?: boolean;
  /**
   * Only while the back end the probe named is healthy (or none was named): a Client Access step
   * is pointless, even harmful, while the Mailbox server behind it is failing. The gate.
   */
  readonly backendHealthy?: boolean;
}

interface StepBase {
  /** Unique within the monitor's ladder; used in action ids and audit records. */
  readonly id: string;
  /** Optional i18n key with the reason for this step, shown under its label. */
  readonly note?: string;
  readonly when?: StepCondition;
}

/** Rerun the probe of the monitor (Invoke-MonitoringProbe <HealthSet>\<Probe>). */
export interface ProbeStep extends StepBase {
  readonly kind: 'probe';
}

/** A read-only operation: service or app pool state, database copies, a related server's health. */
export interface CheckStep extends StepBase {
  readonly kind: 'check';
  readonly operation: OperationKind;
  readonly target: StepTarget;
  readonly params?: StepParams;
}

/** A state-changing operation. Always needs a second person's approval. */
export interface ActionStep extends StepBase {
  readonly kind: 'action';
  readonly operation: OperationKind;
  readonly target: StepTarget;
  readonly params?: StepParams;
  /** Overrides the catalogue's default impact when the runbook knows better. */
  readonly impact?: Impact;
  /** i18n key: what users will notice while it runs. */
  readonly impactNote: string;
  /**
   * The id of an earlier action step in the same ladder that this one puts back (allow
   * activation again, switch logging off, set a component Active again). Once that earlier step
   * has run, this one is owed on every exit of the incident until it runs or a person dismisses it.
   */
  readonly undoes?: string;
  /**
   * The id of an earlier action step: this one is not walked on the ladder but offered, as an
   * optional decision with its own approval, once that step has run (move active copies back once
   * activation is allowed again).
   */
  readonly offerAfter?: string;
}

/** Re-check after a delay: a durable timer, then Get-ServerHealth (or the probe) again. */
export interface WaitStep extends StepBase {
  readonly kind: 'wait';
  readonly minutes: number;
  readonly then: 'server-health' | 'probe';
}

/** Something only a person can do. Shown as instructions with exact paths and commands. */
export interface ManualStep extends StepBase {
  readonly kind: 'manual';
  /** i18n key with the instruction. */
  readonly text: string;
  readonly paths?: readonly string[];
  /** Commands a person may run themselves; shown, never executed by the bot. */
  readonly commands?: readonly string[];
}

/** Hand over to a person or to Microsoft Support, with the incident timeline. */
export interface EscalateStep extends StepBase {
  readonly kind: 'escalate';
}

export type Step = ProbeStep | CheckStep | ActionStep | WaitStep | ManualStep | EscalateStep;
export type StepKind = Step['kind'];

export interface ProbeDef {
  readonly name: string;
  /** The health set the probe belongs to (used in `<HealthSet>\<Probe>`). */
  readonly healthSet: string;
  /** Human dependencies from the article (Active Directory, Information Store, ...), as i18n keys. */
  readonly dependencies: readonly string[];
  /**
   * When set, the probe's error names the back-end server after this marker (`_Mbx:`), and the
   * engine checks that server's health sets before suggesting anything on the front end.
   */
  readonly backend?: {
    readonly marker: string;
    readonly healthSets: readonly string[];
  };
}

export interface MonitorDef {
  readonly name: string;
  readonly healthSet: string;
  /** The probe whose rerun confirms the monitor; absent for monitors fed by counters or events. */
  readonly probe?: string;
  /** i18n key: one sentence on what this monitor watches. */
  readonly summary: string;
  /** The recovery ladder, in order. */
  readonly ladder: readonly Step[];
  /** The ladder template (runbooks/templates) this ladder was expanded from, if any. */
  readonly template?: string;
}

export interface Runbook {
  readonly id: string;
  /** i18n key of the runbook's title. */
  readonly title: string;
  /** The health sets this runbook covers; the first is the one it is named after. */
  readonly healthSets: readonly HealthSetDef[];
  /** Closely related health sets (checked along with these, linked from the card). */
  readonly related: readonly string[];
  /**
   * Server components these health sets depend on (Get-ServerComponentState names). One that is
   * not Active is the first thing to fix: set it Active with the requester that holds it.
   */
  readonly components?: readonly ComponentName[];
  readonly probes: readonly ProbeDef[];
  readonly monitors: readonly MonitorDef[];
  /** i18n keys: the usual causes, from the article's "common issues". */
  readonly commonIssues: readonly string[];
  /** Where the facts came from (article path under shared/reference). */
  readonly source: string;
  /** The file it was loaded from, for error messages. */
  readonly file?: string;
}
