/**
 * What Get-HealthReport and Get-MonitoringItemIdentity say a server runs: its health sets, and
 * the probes, monitors and responders of each. This is how the bot learns health sets and
 * monitor names that no runbook describes (newer versions add sets the 2013 articles lack).
 */

/** ItemType of Get-MonitoringItemIdentity; anything else Exchange adds arrives as `Other`. */
export const MONITORING_ITEM_TYPES = ['Probe', 'Monitor', 'Responder', 'Maintenance', 'Other'] as const;
export type MonitoringItemType = (typeof MONITORING_ITEM_TYPES)[number];

export interface MonitoringItem {
  readonly healthSet: string;
  readonly name: string;
  readonly itemType: MonitoringItemType;
  readonly targetResource?: string;
}

export interface MonitoringItems {
  readonly server: string;
  /** Every health set the server reports (Get-HealthReport), including sets whose items were not asked for. */
  readonly healthSets: readonly string[];
  readonly items: readonly MonitoringItem[];
}
