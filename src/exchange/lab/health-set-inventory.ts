/**
 * What the lab's servers report beyond the runbooks: every health set a real server of their
 * version and roles would have, with its monitors and probes, so that Get-ServerHealth,
 * Get-HealthReport and Get-MonitoringItemIdentity answer for health sets that have no runbook.
 *
 * Probe and monitor names come from the articles' tables where they give them
 * (../shared/notes/exchange-health-sets.md). Where an article is a placeholder, the lab makes up
 * one plausible monitor so the set is not empty; those names are the lab's, not Exchange's.
 * Health sets newer versions add (OutlookMapiHttp, Calendaring, ...) appear only on servers of
 * those versions, and UM only on 2013 and 2016, so version differences can be tested.
 */
import type { ServerInfo } from '../../core/index.ts';

/** Exchange's major builds: 15.0 is 2013, 15.1 is 2016, 15.2 is 2019 and Subscription Edition. */
export type Build = '15.0' | '15.1' | '15.2';
const ALL: readonly Build[] = ['15.0', '15.1', '15.2'];
const FROM_2016: readonly Build[] = ['15.1', '15.2'];
const UP_TO_2016: readonly Build[] = ['15.0', '15.1'];

type Role = 'ClientAccess' | 'Mailbox';
const CAS: readonly Role[] = ['ClientAccess'];
const MBX: readonly Role[] = ['Mailbox'];
const BOTH: readonly Role[] = ['ClientAccess', 'Mailbox'];

export interface InventorySet {
  readonly healthSet: string;
  readonly roles: readonly Role[];
  readonly builds: readonly Build[];
  /** `Probe>Monitor,Monitor` pairs, or `>Monitor` for a monitor fed by events or counters. */
  readonly items: readonly string[];
}

const set = (
  healthSet: string,
  roles: readonly Role[],
  items: readonly string[],
  builds: readonly Build[] = ALL,
): InventorySet => ({ healthSet, roles, builds, items });

export const HEALTH_SET_INVENTORY: readonly InventorySet[] = [
  set('ActiveSync', BOTH, [
    'ActiveSyncCTPProbe>ActiveSyncCTPMonitor',
    'ActiveSyncDeepTestProbe>ActiveSyncDeepTestMonitor',
    '>RequestsQueuedGt500Monitor',
  ]),
  set('ActiveSync.Protocol', MBX, ['ActiveSyncSelfTestProbe>ActiveSyncSelfTestMonitor']),
  set('ActiveSync.Proxy', CAS, ['ActiveSyncProxyTestProbe>ActiveSyncProxyTestMonitor']),
  set('AD', BOTH, ['ActiveDirectoryConnectivityProbe>ActiveDirectoryConnectivityMonitor']),
  set('Antimalware', MBX, ['>AntimalwareEngineUpdateMonitor']),
  set('AntiSpam', MBX, ['>AntiSpamAgentFailureMonitor']),
  set('Autodiscover', CAS, ['AutodiscoverCtpProbe>AutodiscoverCtpMonitor']),
  set('Autodiscover.Protocol', MBX, ['AutodiscoverSelfTestProbe>AutodiscoverSelfTestMonitor']),
  set('Autodiscover.Proxy', CAS, ['AutoDiscoverProxyTestProbe>AutodiscoverProxyTestMonitor']),
  set('Classification', MBX, ['>ClassificationEngineFailureMonitor']),
  set('ClientAccess.Proxy', CAS, ['>ClientAccessProxyCrashMonitor']),
  set('Compliance', CAS, ['>ComplianceAuditLogMonitor']),
  set('DataProtection', BOTH, [
    'ClusterEndpointProbe>ClusterEndpointMonitor',
    'ClusterGroupProbe>ClusterGroupMonitor',
    'ClusterNetworkProbe>ClusterNetworkMonitor',
    'ServerOneCopyProbe>ServerOneCopyMonitor',
    'ServiceHealthMSExchangeReplEndpointProbe>ServiceHealthMSExchangeReplEndpointMonitor',
  ]),
  set('DiskSpace', BOTH, ['>DiskSpaceLowMonitor']),
  set('EDS', BOTH, ['>EdsServiceCrashMonitor']),
  set('EventAssistants', MBX, ['>EventAssistantsWatermarkMonitor']),
  set('ECP', BOTH, ['EacSelfTestProbe>EacSelfTestMonitor', 'EacDeepTestProbe>EacDeepTestMonitor']),
  set('ECP.Proxy', CAS, ['ECPProxyTestProbe>ECPProxyTestMonitor']),
  set('EWS', CAS, ['EwsCtpProbe>EwsCtpMonitor']),
  set('EWS.Protocol', MBX, ['EwsSelfTestProbe>EWSSelfTestMonitor', 'EwsDeepTestProbe>EWSDeepTestMonitor']),
  set('EWS.Proxy', CAS, ['EWSProxyTestProbe>EWSProxyTestMonitor']),
  set('FIPS', BOTH, ['>MaintenanceFailureMonitor.FIPS', '>CrashEvent.scanningprocess']),
  set('FreeBusy', MBX, ['>FreeBusyLookupFailureMonitor']),
  set('FrontendTransport', BOTH, ['FrontendTransportServiceRunning>FrontendTransportServiceRunningMonitor']),
  set('HubTransport', BOTH, [
    'HubAvailabilityProbe>HubAvailabilityMonitor',
    '>SubmissionQueueMonitor',
    '>UnreachableQueueMonitor',
  ]),
  // The counter-fed monitors sit in the parent set, as the articles' tables and our runbooks have them.
  set('IMAP', CAS, [
    'ImapCTPProbe>ImapCTPMonitor',
    '>AverageCommandProcessingTimeGt60sMonitor',
    '>RequestsQueuedGt500Monitor',
  ]),
  set('IMAP.Protocol', MBX, ['ImapDeepTestProbe>ImapDeepTestMonitor', 'ImapSelfTestProbe>ImapSelfTestMonitor']),
  set('IMAP.Proxy', CAS, ['ImapProxyTestProbe>ImapProxyTestMonitor']),
  set('MailboxMigration', MBX, ['>MailboxMigrationFailureMonitor']),
  set('MailboxSpace', MBX, ['>DatabaseSizeMonitor', '>StorageLogicalDriveSpaceMonitor']),
  set('MailboxTransport', MBX, [
    'MailboxDeliveryAvailability>MailboxDeliveryAvailabilityMonitor',
    'Mapi.Submit.Probe>Mapi.Submit.Monitor',
  ]),
  set('Mailflow', CAS, ['>MailflowLatencyMonitor']),
  set('Memory', BOTH, ['>MemoryPressureMonitor']),
  set('MessageTracing', MBX, ['>MessageTrackingLogMonitor']),
  set('Monitoring', BOTH, ['>HealthManagerHeartbeatMonitor']),
  set('MRS', MBX, ['MRSServiceCrashingProbe>MRSServiceCrashingMonitor']),
  set('MSExchangeCertificateDeployment', MBX, ['>CertificateDeploymentFailureMonitor']),
  set('Network', BOTH, ['>NetworkAdapterMonitor']),
  set('OAB', MBX, ['>OABGenerationFailureMonitor']),
  set('OAB.Proxy', CAS, ['OABProxyTestProbe>OABProxyTestMonitor']),
  set('Outlook', CAS, ['OutlookRpcCtpProbe>OutlookRpcCtpMonitor']),
  set('Outlook.Protocol', MBX, ['OutlookRpcSelfTestProbe>OutlookRpcSelfTestMonitor']),
  set('Outlook.Proxy', CAS, ['OutlookProxyTestProbe>OutlookProxyTestMonitor']),
  set('OWA', CAS, ['OwaCtpProbe>OwaCtpMonitor']),
  set('OWA.Protocol', MBX, ['OwaSelfTestProbe>OwaSelfTestMonitor', 'OwaDeepTestProbe>OwaDeepTestMonitor']),
  set('OWA.Protocol.Dep', MBX, ['>OwaIMInitializationFailedMonitor', '>WacDiscoveryFailureEventMonitor']),
  set('OWA.Proxy', CAS, ['OWAProxyTestProbe>OWAProxyTestMonitor']),
  set('POP', CAS, ['PopCTPProbe>PopCTPMonitor', '>AverageCommandProcessingTimeGt60sMonitor']),
  set('POP.Protocol', MBX, ['PopDeepTestProbe>PopDeepTestMonitor', 'PopSelfTestProbe>PopSelfTestMonitor']),
  set('POP.Proxy', CAS, ['PopProxyTestProbe>PopProxyTestMonitor']),
  set('PowershellDataProvider', BOTH, ['>PowershellDataProviderCrashMonitor']),
  set('PublicFolders', MBX, ['>PublicFolderHierarchySyncMonitor']),
  set('PushNotifications.Protocol', MBX, ['>PushNotificationsFailureMonitor']),
  set('RemoteMonitoring', BOTH, ['>RemoteMonitoringHeartbeatMonitor']),
  set('RPS', BOTH, ['RPSCtpProbe>RPSCtpMonitor']),
  set('RPS.Proxy', BOTH, ['RPSProxyTestProbe>RPSProxyTestMonitor']),
  set('Search', BOTH, ['SearchQueryProbe>SearchQueryFailureMonitor', '>SearchIndexFailureMonitor']),
  set('SiteMailbox', MBX, ['>SiteMailboxDocumentSyncMonitor']),
  set('SMTP', BOTH, ['>SmtpConnectivityMonitor']),
  set('Store', MBX, ['>StoreServiceCrashMonitor']),
  set('Transport', CAS, ['>TransportCertificateExpiryMonitor']),
  set('UserThrottling', BOTH, ['>UserThrottlingPolicyMonitor']),
  set('UM', CAS, ['UMCallRouterTestProbe>UMCallRouterTestMonitor'], UP_TO_2016),
  set('UM.CallRouter', BOTH, ['UMCallRouterTestProbe>UMCallRouterTestMonitor'], UP_TO_2016),
  set('UM.Protocol', MBX, ['UMSelfTestProbe>UMSelfTestMonitor'], UP_TO_2016),
  // Health sets of the newer versions that no 2013 article documents.
  set(
    'OutlookMapiHttp',
    BOTH,
    [
      'OutlookMapiHttpCtpProbe>OutlookMapiHttpCtpMonitor',
      'OutlookMapiHttpSelfTestProbe>OutlookMapiHttpSelfTestMonitor',
    ],
    FROM_2016,
  ),
  set('OutlookMapiHttp.Proxy', BOTH, ['OutlookMapiHttpProxyTestProbe>OutlookMapiHttpProxyTestMonitor'], FROM_2016),
  set('Calendaring', BOTH, ['CalendarSharingProbe>CalendarSharingMonitor'], FROM_2016),
  set('Clustering', MBX, ['>ClusterHangMonitor'], FROM_2016),
  set('ProcessIsolation', BOTH, ['>ProcessIsolationCrashMonitor'], FROM_2016),
];

/** The build of a server from its AdminDisplayVersion ("Version 15.2 (Build 1544.4)"); 2013 when unknown. */
export function buildOf(server: ServerInfo): Build {
  const minor = /15\.(\d)/.exec(server.version ?? '')?.[1];
  return minor === '1' ? '15.1' : minor === '2' ? '15.2' : '15.0';
}

export interface InventoryItem {
  readonly healthSet: string;
  readonly name: string;
  readonly itemType: 'Probe' | 'Monitor';
  /** For a monitor: its probe, when it has one. */
  readonly probe?: string;
}

/** The health sets a server of this build and these roles reports, with their items. */
export function inventoryOn(server: ServerInfo): { healthSet: string; items: InventoryItem[] }[] {
  const build = buildOf(server);
  return HEALTH_SET_INVENTORY.filter(
    (s) => s.builds.includes(build) && s.roles.some((r) => server.roles.includes(r)),
  ).map((s) => ({
    healthSet: s.healthSet,
    items: s.items.flatMap((pair) => {
      const [probe, monitors] = pair.split('>') as [string, string];
      const probeItem: InventoryItem[] = probe ? [{ healthSet: s.healthSet, name: probe, itemType: 'Probe' }] : [];
      return [
        ...probeItem,
        ...monitors.split(',').map((m): InventoryItem => ({
          healthSet: s.healthSet,
          name: m,
          itemType: 'Monitor',
          ...(probe ? { probe } : {}),
        })),
      ];
    }),
  }));
}
