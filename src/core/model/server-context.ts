/**
 * What "before any button" reads about a server besides its health: the failover-cluster node
 * (a DAG member left paused by maintenance), Managed Availability overrides touching the health
 * set, the same health set on the other servers of the role (blast radius), and the version.
 * Both gateways return these shapes; the card is built from them.
 */
import type { SideRead } from './side-read.ts';

/** Get-ClusterNode's State for a DAG member (Up, Paused, Down, Joining) or `None` outside any DAG. */
export type ClusterNodeStateValue = 'Up' | 'Paused' | 'Down' | 'Joining' | 'None' | 'Unknown';

export interface ClusterNodeState {
  readonly server: string;
  readonly state: ClusterNodeStateValue;
}

/** Monitoring item types an override applies to (Add-ServerMonitoringOverride -ItemType). */
export const OVERRIDE_ITEM_TYPES = ['Probe', 'Monitor', 'Responder'] as const;
export type OverrideItemType = (typeof OVERRIDE_ITEM_TYPES)[number];

/** One Managed Availability override, on this server or global. */
export interface MonitoringOverride {
  readonly scope: 'server' | 'global';
  readonly itemType: OverrideItemType | string;
  /** The health set and item: `HealthSet\Item[\TargetResource]`. */
  readonly healthSet: string;
  readonly item: string;
  readonly targetResource?: string;
  readonly property: string;
  readonly value: string;
  /** The build the override applies to (ApplyVersion), when it was made that way. */
  readonly applyVersion?: string;
  /** ISO time a Duration override ends. */
  readonly expiresAt?: string;
  readonly createdBy?: string;
  readonly createdAt?: string;
}

/** Overrides read for one server (its own and the global ones), already limited to the health sets asked for. */
export interface MonitoringOverrides {
  readonly server: string;
  readonly overrides: readonly MonitoringOverride[];
}

/** Exchange products by build (2019 and SE share 15.2; the build tells them apart). */
export type ExchangeProduct = '2013' | '2016' | '2019' | 'SE';

export interface ServerVersion {
  readonly product?: ExchangeProduct;
  /** `15.2.1544.4`, or the inventory's text when it could not be parsed. */
  readonly build?: string;
  /** ISO date the product left extended support, when it has. */
  readonly outOfSupportSince?: string;
}

/** An override touching the health set, with what makes it worth a second look. */
export interface FlaggedOverride extends MonitoringOverride {
  /** An ApplyVersion override for another build: after a cumulative update it no longer applies. */
  readonly stale?: boolean;
  /** It switches a monitoring item off (Enabled = 0). */
  readonly disables?: boolean;
}

/** The same health set on the other servers of the role. */
export interface BlastRadius {
  readonly monitor: string;
  /** Every other server of the role: failing the same monitor, healthy, or not read. */
  readonly peers: readonly {
    readonly server: string;
    readonly status: 'failing' | 'healthy' | 'timed-out' | 'failed';
  }[];
  /** The same failure on this server and on every other one: not a server problem. */
  readonly organisationWide: boolean;
}

/** What the card shows first, before any button. */
export interface ServerContext {
  readonly version: ServerVersion;
  /** The product version the runbook's source article was written for, when it differs from the server's. */
  readonly articleFor?: string;
  readonly state: SideRead<{
    readonly notActive: readonly {
      readonly component: string;
      readonly state: string;
      readonly requester?: string;
      readonly at?: string;
    }[];
    readonly activation?: { readonly policy?: string; readonly disabledAndMoveNow: boolean };
    readonly lastBootUpTime?: string;
  }>;
  /** Read for DAG members only. */
  readonly clusterNode?: SideRead<ClusterNodeStateValue>;
  readonly overrides?: SideRead<readonly FlaggedOverride[]>;
  /** Monitors of the health set that Get-ServerHealth shows as Disabled. */
  readonly disabledMonitors?: readonly string[];
  readonly blastRadius?: SideRead<BlastRadius>;
}
