/**
 * What the server's own logs say before any button is offered: the recovery actions Managed
 * Availability already took (RecoveryActionResults), the probe's recent results (ProbeResult),
 * the Windows events that explain a crash or a restart, and the monitoring items of a health set
 * (Get-MonitoringItemIdentity). Both gateways return exactly these shapes.
 */
import type { ProbeResult, ProbeResultType } from './exchange.ts';
import type { SideRead } from './side-read.ts';

/** One entry of Microsoft-Exchange-ManagedAvailability/RecoveryActionResults. */
export interface RecoveryAction {
  readonly server: string;
  /** The action's id as Managed Availability logs it: RestartService, RecycleApplicationPool, ForceReboot, ... */
  readonly action: string;
  /** What it acted on: a service, an app pool, a component, a database. */
  readonly resource?: string;
  /** The responder that asked for it (RequestorName). */
  readonly requester?: string;
  /** Started or Finished, as logged. */
  readonly state?: string;
  /** Succeeded, Failed, ... as logged; absent while it runs. */
  readonly result?: string;
  /** ISO 8601. */
  readonly startedAt: string;
  /** ISO 8601. */
  readonly endedAt?: string;
  /** ExceptionName and ExceptionMessage, first line. */
  readonly exception?: string;
  /** The throttle refused it: Managed Availability has stopped trying. */
  readonly throttled: boolean;
}

/** One result from Microsoft-Exchange-ActiveMonitoring/ProbeResult. */
export interface ProbeHistoryEntry {
  readonly resultName: string;
  readonly resultType: ProbeResultType;
  /** ExecutionStartTime, ISO 8601. */
  readonly at: string;
  readonly error?: string;
}

export interface ProbeHistory {
  readonly server: string;
  /** The ResultNames the filter asked for, with those taken from counter monitors' definitions (SampleMask). */
  readonly resultNames: readonly string[];
  /** Oldest first. */
  readonly entries: readonly ProbeHistoryEntry[];
}

/** The Windows events that tell a crash, a restart or a failing app pool apart. */
export const WINDOWS_EVENT_KINDS = [
  'service-crash',
  'restart-by',
  'unexpected-shutdown',
  'app-pool-failure',
  'watson',
] as const;
export type WindowsEventKind = (typeof WINDOWS_EVENT_KINDS)[number];

export interface WindowsEvent {
  readonly server: string;
  readonly kind: WindowsEventKind;
  readonly id: number;
  readonly provider: string;
  /** ISO 8601. */
  readonly at: string;
  /** The service, app pool, process or user the event is about. */
  readonly subject?: string;
  /** A short fact from the event (a reason, a bugcheck code, an exception name). */
  readonly detail?: string;
}

/** One row of Get-MonitoringItemIdentity. */
export interface MonitoringItemRow {
  readonly server: string;
  readonly healthSet: string;
  readonly itemType: string;
  readonly name: string;
  readonly targetResource?: string;
}

/** The probe history behind one failing monitor. */
export interface MonitorHistory {
  readonly healthSet: string;
  readonly monitor: string;
  /** The ResultNames asked for (a probe's, or a counter monitor's SampleMask from its definition). */
  readonly resultNames: readonly string[];
  readonly read: SideRead<readonly ProbeHistoryEntry[]>;
}

/** The generic flow's work on a monitor that no runbook describes. */
export interface UnlistedMonitorCheck {
  readonly healthSet: string;
  readonly monitor: string;
  /** The probe found behind it with Get-MonitoringItemIdentity, when one was. */
  readonly probe?: string;
  /** Its rerun: a result, or why it could not run (then its history stands in). */
  readonly rerun?: SideRead<ProbeResult>;
}

/** What the diagnosis read beside the probes, before any button. */
export interface Evidence {
  /** ISO 8601: when the reads started. */
  readonly readAt: string;
  /** How far back each read looked, in minutes. */
  readonly windows: { readonly recoveryMinutes: number; readonly probeMinutes: number; readonly eventsMinutes: number };
  readonly recovery: SideRead<readonly RecoveryAction[]>;
  readonly windowsEvents: SideRead<readonly WindowsEvent[]>;
  /** Per failing monitor; absent when Get-ServerHealth itself could not be read. */
  readonly probeHistory?: readonly MonitorHistory[];
  /** The generic flow, for failing monitors of health sets without a runbook. */
  readonly unlisted?: {
    readonly healthSets: readonly string[];
    readonly items: SideRead<number>;
    readonly monitors: readonly UnlistedMonitorCheck[];
  };
}
