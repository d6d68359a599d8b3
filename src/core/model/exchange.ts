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

export interface ServiceState {
  readonly server: string;
  readonly service: string;
  readonly displayName?: string;
  readonly status: ServiceStatus;
  /** Automatic, Manual or Disabled: whether the service is meant to run at all. */
  readonly startType?: string;
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
  /** Logs not yet copied to this copy, and not yet replayed into it (Get-MailboxDatabaseCopyStatus). */
  readonly copyQueueLength?: number;
  readonly replayQueueLength?: number;
  readonly contentIndexState?: string;
  /** The server holding the active copy, as Exchange names it. */
  readonly activeServer?: string;
  readonly lastInspectedLogTime?: string;
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
  /** Short, factual, not localised: what the system reported. */
  readonly detail: string;
}
