/**
 * The closed catalogue of operations Healthbot may run against Exchange. Runbooks name these;
 * they never contain PowerShell. Every parameter is typed, and names of services and app pools
 * come from allow-lists, so nothing typed in chat can become a command.
 */
import type {
  ActionOutcome,
  ActivationOutcome,
  ActivationPolicy,
  AppPoolState,
  DatabaseCopy,
  MailProtocol,
  MonitorHealth,
  ProbeResult,
  ProtocolLogging,
  DirectoryServers,
  MonitoringMailboxes,
  RestartReadiness,
  ServerState,
  ServiceState,
} from './exchange.ts';
import type { ClusterNodeState, MonitoringOverrides, OverrideItemType } from './server-context.ts';
import type { MonitoringItemRow, ProbeHistory, RecoveryAction, WindowsEvent } from './evidence.ts';
import type { DagStatus, ReplicationHealth, ServiceHealth, TransportQueues, Websites } from './exchange-families.ts';
import type { MonitoringItems } from './monitoring-items.ts';

/** Windows services the bot may look at or restart (short names). */
export const SERVICE_ALLOW_LIST = [
  'MSExchangeIMAP4',
  'MSExchangeIMAP4BE',
  'MSExchangePOP3',
  'MSExchangePOP3BE',
  'MSExchangeHM',
  'MSExchangeServiceHost',
  'MSExchangeMailboxReplication',
  'MSExchangeRepl',
  'MSExchangeUM',
  'MSExchangeUMCR',
  'W3SVC',
] as const;
export type ServiceName = (typeof SERVICE_ALLOW_LIST)[number];

/** IIS application pools the bot may look at or recycle. */
export const APP_POOL_ALLOW_LIST = [
  'MSExchangeECPAppPool',
  'MSExchangeServicesAppPool',
  'MSExchangeOWAAppPool',
  'MSExchangeOWACalendarAppPool',
  'MSExchangeSyncAppPool',
  'MSExchangeAutodiscoverAppPool',
  'MSExchangeOABAppPool',
  'MSExchangeRpcProxyAppPool',
  'MSExchangePowerShellFrontEndAppPool',
] as const;
export type AppPoolName = (typeof APP_POOL_ALLOW_LIST)[number];

export type DatabaseActivationMode = 'move-now' | 'allow';

/** Server components the bot may set (Get-ServerComponentState names). */
export const COMPONENT_ALLOW_LIST = [
  'ServerWideOffline',
  'HubTransport',
  'FrontendTransport',
  'ImapProxy',
  'PopProxy',
  'EcpProxy',
  'OwaProxy',
  'EwsProxy',
  'ActiveSyncProxy',
  'RpsProxy',
  'OabProxy',
  'AutoDiscoverProxy',
  'RpcProxy',
  'MapiProxy',
] as const;
export type ComponentName = (typeof COMPONENT_ALLOW_LIST)[number];

/** Requesters of Set-ServerComponentState (its documented values). */
export const COMPONENT_REQUESTERS = ['HealthAPI', 'Maintenance', 'Sidelined', 'Functional', 'Deployment'] as const;
export type ComponentRequester = (typeof COMPONENT_REQUESTERS)[number];

export type Operation =
  | { readonly kind: 'get-server-health'; readonly server: string; readonly healthSets?: readonly string[] }
  | {
      readonly kind: 'invoke-probe';
      readonly server: string;
      readonly healthSet: string;
      readonly probe: string;
      /** The failing monitor's TargetResource, when it has one: `<HealthSet>\<Probe>\<TargetResource>`. */
      readonly targetResource?: string;
    }
  | { readonly kind: 'get-service'; readonly server: string; readonly service: ServiceName }
  | { readonly kind: 'restart-service'; readonly server: string; readonly service: ServiceName }
  | { readonly kind: 'get-app-pool'; readonly server: string; readonly appPool: AppPoolName }
  | { readonly kind: 'recycle-app-pool'; readonly server: string; readonly appPool: AppPoolName }
  | { readonly kind: 'iis-reset'; readonly server: string }
  | { readonly kind: 'restart-server'; readonly server: string }
  | {
      readonly kind: 'set-database-activation';
      readonly server: string;
      readonly mode: DatabaseActivationMode;
      /** Allowing activation again: the DatabaseCopyAutoActivationPolicy to put back (what move-now found). */
      readonly restorePolicy?: ActivationPolicy;
    }
  | { readonly kind: 'get-database-copy-status'; readonly server: string }
  | { readonly kind: 'get-protocol-logging'; readonly server: string; readonly protocol: MailProtocol }
  | { readonly kind: 'get-restart-readiness'; readonly server: string }
  /** Redirect-Message: hand the messages queued on a draining server to another Mailbox server. */
  | { readonly kind: 'redirect-messages'; readonly server: string; readonly target: string }
  | { readonly kind: 'get-server-state'; readonly server: string }
  /** Move-ActiveMailboxDatabase -ActivatePreferredOnServer: databases whose preferred copy is here come back. */
  | { readonly kind: 'rebalance-databases'; readonly server: string }
  | { readonly kind: 'get-monitoring-mailboxes'; readonly server: string }
  | { readonly kind: 'get-directory-servers'; readonly server: string }
  | { readonly kind: 'get-queue'; readonly server: string }
  | { readonly kind: 'test-service-health'; readonly server: string }
  | { readonly kind: 'test-replication-health'; readonly server: string }
  | { readonly kind: 'get-dag-status'; readonly server: string }
  | { readonly kind: 'get-website'; readonly server: string }
  /** Get-HealthReport and Get-MonitoringItemIdentity: the health sets (all, or these) and their probes and monitors. */
  | { readonly kind: 'get-monitoring-items'; readonly server: string; readonly healthSets?: readonly string[] }
  | {
      readonly kind: 'set-server-component-state';
      readonly server: string;
      readonly component: ComponentName;
      readonly state: 'Active' | 'Inactive' | 'Draining';
      readonly requester: ComponentRequester;
    }
  /** Evidence reads (evidence.ts): always within a window of minutes before now, never unbounded. */
  | { readonly kind: 'get-recovery-actions'; readonly server: string; readonly sinceMinutes: number }
  | {
      readonly kind: 'get-probe-history';
      readonly server: string;
      readonly resultNames: readonly string[];
      readonly monitors?: readonly string[];
      readonly sinceMinutes: number;
    }
  | { readonly kind: 'get-windows-events'; readonly server: string; readonly sinceMinutes: number }
  | { readonly kind: 'get-monitoring-item-identity'; readonly server: string; readonly healthSet: string }
  | {
      readonly kind: 'set-protocol-logging';
      readonly server: string;
      readonly protocol: MailProtocol;
      readonly enabled: boolean;
    }
  | ServerStateOperation;

export type OperationKind = Operation['kind'];
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** What each operation returns when Exchange answered (infrastructure failures throw instead). */
export interface OperationResults {
  'get-server-health': readonly MonitorHealth[];
  'invoke-probe': ProbeResult;
  'get-service': ServiceState;
  'restart-service': ActionOutcome;
  'get-app-pool': AppPoolState;
  'recycle-app-pool': ActionOutcome;
  'iis-reset': ActionOutcome;
  'restart-server': ActionOutcome;
  'set-database-activation': ActivationOutcome;
  'get-database-copy-status': readonly DatabaseCopy[];
  'get-protocol-logging': ProtocolLogging;
  'set-protocol-logging': ActionOutcome;
  'get-restart-readiness': RestartReadiness;
  'get-server-state': ServerState;
  'set-server-component-state': ActionOutcome;
  'redirect-messages': ActionOutcome;
  'rebalance-databases': ActionOutcome;
  'get-monitoring-mailboxes': MonitoringMailboxes;
  'get-directory-servers': DirectoryServers;
  'get-cluster-node': ClusterNodeState;
  'set-cluster-node': ActionOutcome;
  'get-monitoring-overrides': MonitoringOverrides;
  'add-monitoring-override': ActionOutcome;
  'exit-maintenance': ActionOutcome;
  'get-recovery-actions': readonly RecoveryAction[];
  'get-probe-history': ProbeHistory;
  'get-windows-events': readonly WindowsEvent[];
  'get-monitoring-item-identity': readonly MonitoringItemRow[];
  'get-queue': TransportQueues;
  'test-service-health': ServiceHealth;
  'test-replication-health': ReplicationHealth;
  'get-dag-status': DagStatus;
  'get-website': Websites;
  'get-monitoring-items': MonitoringItems;
}
export type ResultOf<K extends OperationKind> = OperationResults[K];

export type Impact = 'none' | 'low' | 'medium' | 'high';

interface OperationTraits {
  /** Does it change the state of the organisation? Such operations need an approval. */
  readonly changesState: boolean;
  /** Default impact, used for policy (how many approvers) and for the card. */
  readonly impact: Impact;
}

/** One place that says which operations change state. The type of `approved` steps builds on it. */
export const OPERATION_TRAITS: { readonly [K in OperationKind]: OperationTraits } = {
  'get-server-health': { changesState: false, impact: 'none' },
  'invoke-probe': { changesState: false, impact: 'none' },
  'get-service': { changesState: false, impact: 'none' },
  'restart-service': { changesState: true, impact: 'medium' },
  'get-app-pool': { changesState: false, impact: 'none' },
  'recycle-app-pool': { changesState: true, impact: 'low' },
  'iis-reset': { changesState: true, impact: 'medium' },
  'restart-server': { changesState: true, impact: 'high' },
  'set-database-activation': { changesState: true, impact: 'high' },
  'get-database-copy-status': { changesState: false, impact: 'none' },
  'get-protocol-logging': { changesState: false, impact: 'none' },
  'set-protocol-logging': { changesState: true, impact: 'low' },
  'get-restart-readiness': { changesState: false, impact: 'none' },
  'get-server-state': { changesState: false, impact: 'none' },
  'set-server-component-state': { changesState: true, impact: 'medium' },
  'redirect-messages': { changesState: true, impact: 'low' },
  'rebalance-databases': { changesState: true, impact: 'high' },
  'get-monitoring-mailboxes': { changesState: false, impact: 'none' },
  'get-directory-servers': { changesState: false, impact: 'none' },
  'get-cluster-node': { changesState: false, impact: 'none' },
  'set-cluster-node': { changesState: true, impact: 'medium' },
  'get-monitoring-overrides': { changesState: false, impact: 'none' },
  'add-monitoring-override': { changesState: true, impact: 'low' },
  'exit-maintenance': { changesState: true, impact: 'medium' },
  'get-recovery-actions': { changesState: false, impact: 'none' },
  'get-probe-history': { changesState: false, impact: 'none' },
  'get-windows-events': { changesState: false, impact: 'none' },
  'get-monitoring-item-identity': { changesState: false, impact: 'none' },
  'get-queue': { changesState: false, impact: 'none' },
  'test-service-health': { changesState: false, impact: 'none' },
  'test-replication-health': { changesState: false, impact: 'none' },
  'get-dag-status': { changesState: false, impact: 'none' },
  'get-website': { changesState: false, impact: 'none' },
  'get-monitoring-items': { changesState: false, impact: 'none' },
};

export const OPERATION_KINDS = Object.keys(OPERATION_TRAITS) as OperationKind[];

export function changesState(op: Operation): boolean {
  return OPERATION_TRAITS[op.kind].changesState;
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_ALLOW_LIST as readonly string[]).includes(value);
}

export function isAppPoolName(value: string): value is AppPoolName {
  return (APP_POOL_ALLOW_LIST as readonly string[]).some((p) => p.toLowerCase() === value.toLowerCase());
}

/** IIS names are written with varying case in Microsoft's own articles; compare without it. */
export function canonicalAppPool(value: string): AppPoolName | undefined {
  return APP_POOL_ALLOW_LIST.find((p) => p.toLowerCase() === value.toLowerCase());
}

export function canonicalService(value: string): ServiceName | undefined {
  return SERVICE_ALLOW_LIST.find((s) => s.toLowerCase() === value.toLowerCase());
}

/** The operations that need an approval; each returns an ActionOutcome. */
export type StateChangingKind =
  | 'restart-service'
  | 'recycle-app-pool'
  | 'iis-reset'
  | 'restart-server'
  | 'set-database-activation'
  | 'set-protocol-logging'
  | 'set-server-component-state'
  | 'redirect-messages'
  | 'rebalance-databases'
  | 'set-cluster-node'
  | 'add-monitoring-override'
  | 'exit-maintenance';
export type StateChangingOperation = OperationOf<StateChangingKind>;

export function isStateChanging(op: Operation): op is StateChangingOperation {
  return OPERATION_TRAITS[op.kind].changesState;
}

export function isComponentName(value: string): value is ComponentName {
  return (COMPONENT_ALLOW_LIST as readonly string[]).includes(value);
}

/** One operation of leaving maintenance: a component, the cluster node, or database activation. */
export type MaintenanceOperation =
  | {
      readonly kind: 'set-server-component-state';
      readonly server: string;
      readonly component: ComponentName;
      readonly state: 'Active' | 'Inactive' | 'Draining';
      readonly requester: ComponentRequester;
    }
  | { readonly kind: 'set-cluster-node'; readonly server: string; readonly action: 'resume' | 'suspend' }
  | {
      readonly kind: 'set-database-activation';
      readonly server: string;
      readonly mode: DatabaseActivationMode;
      readonly restorePolicy?: ActivationPolicy;
    };

/** A step of leaving maintenance and the operation that puts it back if a later step fails. */
export interface MaintenanceStep {
  readonly do: MaintenanceOperation;
  readonly undo: MaintenanceOperation;
}

/** Operations of the server-state area (issue 14): cluster node, overrides, leaving maintenance. */
export type ServerStateOperation =
  | { readonly kind: 'get-cluster-node'; readonly server: string }
  /** Resume-ClusterNode (after maintenance) or Suspend-ClusterNode (its put-back). */
  | { readonly kind: 'set-cluster-node'; readonly server: string; readonly action: 'resume' | 'suspend' }
  /** Server and global overrides touching these health sets. */
  | { readonly kind: 'get-monitoring-overrides'; readonly server: string; readonly healthSets: readonly string[] }
  /** A time-boxed override (Add-ServerMonitoringOverride -Duration) that switches one item off; it ends by itself. */
  | {
      readonly kind: 'add-monitoring-override';
      readonly server: string;
      readonly healthSet: string;
      readonly item: string;
      readonly itemType: OverrideItemType;
      readonly targetResource?: string;
      readonly durationMinutes: number;
    }
  /**
   * Leaving maintenance as one approved step, composed by the engine from the documented steps
   * in order; each step that ran is put back if a later one fails. Never sent to a gateway whole.
   */
  | { readonly kind: 'exit-maintenance'; readonly server: string; readonly steps: readonly MaintenanceStep[] };

/** Operations the engine composes from others: no gateway runs them as such. */
export const COMPOSED_KINDS = ['exit-maintenance'] as const;
export type ComposedKind = (typeof COMPOSED_KINDS)[number];
export type GatewayOperationKind = Exclude<OperationKind, ComposedKind>;
export const GATEWAY_OPERATION_KINDS = OPERATION_KINDS.filter(
  (k): k is GatewayOperationKind => !(COMPOSED_KINDS as readonly string[]).includes(k),
);

export function isGatewayOperation(op: Operation): op is Exclude<Operation, { kind: ComposedKind }> {
  return !(COMPOSED_KINDS as readonly string[]).includes(op.kind);
}
