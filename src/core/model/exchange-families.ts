/**
 * What the read operations of the runbook families return: transport queues, Exchange service
 * health per role, replication checks, the DAG's state and the IIS sites. Both gateways return
 * exactly these types.
 */

/** One transport queue (Get-Queue). */
export interface TransportQueue {
  readonly identity: string;
  /** DeliveryType: SmtpDeliveryToMailbox, SmartHostConnectorDelivery, Unreachable, ... */
  readonly deliveryType?: string;
  /** Active, Ready, Retry, Suspended, Connecting. */
  readonly status: string;
  readonly messageCount: number;
  readonly nextHopDomain?: string;
  readonly lastError?: string;
}

export interface TransportQueues {
  readonly server: string;
  readonly queues: readonly TransportQueue[];
}

/** Test-ServiceHealth: per role, whether its required services run, and which do not. */
export interface ServiceHealth {
  readonly server: string;
  readonly roles: readonly {
    readonly role: string;
    readonly requiredServicesRunning: boolean;
    readonly servicesNotRunning: readonly string[];
  }[];
}

/** One row of Test-ReplicationHealth: a check (ClusterService, ReplayService, DBCopyFailed, ...) and its result. */
export interface ReplicationCheck {
  readonly check: string;
  /** Passed, Failed or Warning as Exchange reports it; anything else is kept as written. */
  readonly result: string;
  readonly error?: string;
}

export interface ReplicationHealth {
  readonly server: string;
  readonly checks: readonly ReplicationCheck[];
}

/** The DAG a Mailbox server belongs to, as Get-DatabaseAvailabilityGroup -Status reports it. */
export interface DagStatus {
  readonly server: string;
  /** Absent for a server outside any DAG. */
  readonly dag?: string;
  readonly members: readonly string[];
  /** Members the cluster reports as up. */
  readonly operationalServers: readonly string[];
  readonly primaryActiveManager?: string;
  readonly witnessServer?: string;
  readonly witnessShareInUse?: string;
}

/** An IIS site on the server (Default Web Site, Exchange Back End) with its state and bindings. */
export interface Website {
  readonly name: string;
  /** Started, Stopped, ... as IIS reports it. */
  readonly state: string;
  readonly bindings: readonly { readonly protocol: string; readonly port: number }[];
}

export interface Websites {
  readonly server: string;
  readonly sites: readonly Website[];
}
