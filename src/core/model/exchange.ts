/**
 * What Healthbot knows about an Exchange organisation, in the shape the engine reasons with.
 * Both gateways (the lab and PowerShell) return exactly these types, so nothing above the
 * gateway can tell them apart.
 */

export type ServerRole = 'ClientAccess' | 'Mailbox';

export interface ServerInfo {
  /** Short NetBIOS-style name as Exchange reports it, e.g. `SERVER1`. */
  readonly name: string;
  /** Fully qualified name, e.g. `server1.contoso.com`. */
  readonly fqdn: string;
  readonly roles: readonly ServerRole[];
  readonly site?: string;
  readonly version?: string;
  /**
   * The database availability group of a Mailbox server: a name, `null` for a standalone Mailbox
   * server (its databases go offline while it restarts), absent when the inventory did not say.
   */
  readonly dag?: string | null;
}

/** AlertValue of a monitor, as documented for Get-ServerHealth. */
export const ALERT_VALUES = [
  'Healthy',
  'Unhealthy',
  'Degraded',
  'Repairing',
  'Disabled',
  'Unavailable',
  'UnInitialized',
  /** A value this version of the bot does not know: shown as such, never read as healthy. */
  'Unknown',
] as const;
export type AlertValue = (typeof ALERT_VALUES)[number];

/** One row of Get-ServerHealth: one monitor (and target resource) on one server. */
export interface MonitorHealth {
  readonly server: string;
  readonly monitor: string;
  readonly healthSet: string;
  readonly alertValue: AlertValue;
  readonly targetResource?: string;
  /** CurrentHealthSetState (`Online`, `NotApplicable`, ...). */
  readonly state?: string;
  /** ISO 8601. */
  readonly firstAlertObservedTime?: string;
  /** ISO 8601. */
  readonly lastTransitionTime?: string;
  readonly error?: string;
}

/** ResultType of a probe result; the numeric form maps 1..6 onto these (see the gateway parsers). */
export const PROBE_RESULT_TYPES = ['Timeout', 'Poisoned', 'Succeeded', 'Failed', 'Quarantined', 'Rejected'] as const;
export type ProbeResultType = (typeof PROBE_RESULT_TYPES)[number];

/** The result of Invoke-MonitoringProbe. A failed probe is a value, not an exception. */
export interface ProbeResult {
  readonly server: string;
  readonly healthSet: string;
  readonly probe: string;
  readonly resultType: ProbeResultType;
  readonly error?: string;
  readonly exception?: string;
  /** ISO 8601. */
  readonly startedAt: string;
  /** ISO 8601. */
  readonly endedAt: string;
  readonly durationMs: number;
}

export type ServiceStatus = 'Running' | 'Stopped' | 'StartPending' | 'StopPending' | 'Paused' | 'Unknown';

export type ServiceStartType = 'Automatic' | 'Manual' | 'Disabled' | 'Boot' | 'System';

export interface ServiceState {
  readonly server: string;
  readonly service: string;
  readonly displayName?: string;
  readonly status: ServiceStatus;
  /** Whether Windows starts it: IMAP4 and POP3 are Manual (off) after setup. */
  readonly startType?: ServiceStartType;
}

export type AppPoolStatus = 'Started' | 'Stopped' | 'Starting' | 'Stopping' | 'Unknown';

export interface AppPoolState {
  readonly server: string;
  readonly appPool: string;
  readonly status: AppPoolStatus;
}

/** Status values of Get-MailboxDatabaseCopyStatus. */
export const COPY_STATUSES = [
  'Failed',
  'Seeding',
  'SeedingSource',
  'Suspended',
  'Healthy',
  'ServiceDown',
  'Initializing',
  'Resynchronizing',
  'Mounted',
  'Dismounted',
  'Mounting',
  'Dismounting',
  'DisconnectedAndHealthy',
  'DisconnectedAndResynchronizing',
  'FailedAndSuspended',
  'SinglePageRestore',
] as const;
export type CopyStatus = (typeof COPY_STATUSES)[number];

export interface DatabaseCopy {
  readonly database: string;
  readonly server: string;
  readonly status: CopyStatus;
  readonly activationPreference?: number;
  /** Logs not yet copied to this (passive) copy. */
  readonly copyQueueLength?: number;
  /** Logs copied but not yet replayed into this copy. */
  readonly replayQueueLength?: number;
  /** Healthy, Crawling, Failed, FailedAndSuspended, ... as Exchange reports it. */
  readonly contentIndexState?: string;
  /** The server holding the active copy, as Exchange names it. */
  readonly activeServer?: string;
  readonly lastInspectedLogTime?: string;
}

/** Get-ServerComponentState values. */
export type ComponentStateValue = 'Active' | 'Inactive' | 'Draining';

/** One server component and who asked for its state (a component is Active only when every requester says so). */
export interface ComponentState {
  readonly component: string;
  readonly state: ComponentStateValue;
  readonly requesters: readonly {
    readonly requester: string;
    readonly state: ComponentStateValue;
    readonly at?: string;
  }[];
}

/** What a restart is waited out on, and what "before any action" reads about a server. */
export interface ServerState {
  readonly server: string;
  /** ISO time the operating system last started. */
  readonly lastBootUpTime: string;
  readonly components: readonly ComponentState[];
  /** Exchange services that should be running (Test-ServiceHealth) but are not. */
  readonly servicesNotRunning: readonly string[];
  /** A Mailbox server's activation settings: blocked servers take no active databases. */
  readonly activation?: { readonly policy?: string; readonly disabledAndMoveNow: boolean };
}

/** Another member of the server's DAG, and what would keep it from taking over databases. */
export interface DagMember {
  readonly server: string;
  /** DatabaseCopyAutoActivationPolicy: Unrestricted, IntrasiteOnly or Blocked. */
  readonly activationPolicy?: string;
  readonly activationDisabledAndMoveNow: boolean;
  /** State of the ServerWideOffline component: Inactive means the member is in maintenance. */
  readonly serverWideOffline?: ComponentStateValue;
}

/** What a Mailbox server restart depends on: its DAG, the other members, every copy of its databases. */
export interface RestartReadiness {
  readonly server: string;
  /** Absent for a standalone Mailbox server. */
  readonly dag?: string;
  /** The other members of the DAG. */
  readonly members: readonly DagMember[];
  /** Every copy, on any server, of each database that has a copy on this server. */
  readonly copies: readonly DatabaseCopy[];
}

/** Copies in these states make a server "active" for the database: it must not be restarted. */
export const ACTIVE_COPY_STATUSES: readonly CopyStatus[] = ['Mounted', 'Mounting', 'Dismounting'];

export type MailProtocol = 'imap' | 'pop';

export interface ProtocolLogging {
  readonly server: string;
  readonly protocol: MailProtocol;
  readonly enabled: boolean;
  readonly logPath?: string;
}

/** The outcome of a state-changing operation that Exchange accepted or refused. */
export interface ActionOutcome {
  readonly ok: boolean;
  /** Short, factual, not localised: what the system reported (logs, audit trail). */
  readonly detail: string;
  /** The same outcome for a person: an `engine:outcome.*` code and its values, rendered in the incident's language. */
  readonly say?: OutcomeSay;
}

/** An outcome as a code, never a sentence; `quoted` is text Exchange or Windows wrote, shown as written. */
export interface OutcomeSay {
  readonly code: string;
  readonly vars: Readonly<Record<string, string | number>>;
  readonly quoted?: string;
  /** Sentences said after this one (why a step failed, what ran before it), each a code of its own. */
  readonly then?: readonly OutcomeSay[];
}

/** DatabaseCopyAutoActivationPolicy's values (Set-MailboxServer). */
export const ACTIVATION_POLICIES = ['Unrestricted', 'IntrasiteOnly', 'Blocked'] as const;
export type ActivationPolicy = (typeof ACTIVATION_POLICIES)[number];

export function isActivationPolicy(value: unknown): value is ActivationPolicy {
  return (ACTIVATION_POLICIES as readonly unknown[]).includes(value);
}

/** set-database-activation's outcome. */
export interface ActivationOutcome extends ActionOutcome {
  /** Moving databases off: the policy the server had before it was set Blocked, so the put-back restores it. */
  readonly previousPolicy?: ActivationPolicy;
  /** Moving databases off: whether DatabaseCopyActivationDisabledAndMoveNow was already set before. */
  readonly previousDisabledAndMoveNow?: boolean;
}

/** The monitoring (health) mailboxes a server's probes log on with, and every copy of their databases. */
export interface MonitoringMailboxes {
  readonly server: string;
  readonly mailboxes: readonly { readonly name: string; readonly database: string }[];
  readonly copies: readonly DatabaseCopy[];
}

/** The directory servers an Exchange server is using now (Get-ExchangeServer -Status). */
export interface DirectoryServers {
  readonly server: string;
  readonly domainControllers: readonly string[];
  readonly globalCatalogs: readonly string[];
}
