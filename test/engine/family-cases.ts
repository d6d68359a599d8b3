/** One fault scenario per runbook family, shared by the engine test and the CLI test. */
export interface FamilyCase {
  readonly scenario: string;
  readonly question: string;
  readonly healthSet: string;
  readonly monitor: string;
  /** `<HealthSet>\<Probe>` rerun on the card; absent for a set without probes. */
  readonly probe?: string;
  /** The first step the family's ladder offers. */
  readonly firstStep: RegExp;
  /** The step that mends the fault; the ladder is walked up to it and through it. */
  readonly fix: RegExp;
  /** The monitor whose ladder is walked when it is not `monitor`'s: the back end's, when the probe names an unhealthy back end. */
  readonly ladderMonitor?: string;
  /** Steps that must have been offered before the fix (the rungs below it). */
  readonly before?: readonly RegExp[];
}

export const FAMILY_CASES: readonly FamilyCase[] = [
  {
    scenario: 'owa-apppool',
    question: "what's wrong with owa proxy on server1?",
    healthSet: 'OWA.Proxy',
    monitor: 'OWAProxyTestMonitor',
    probe: 'OWA.Proxy\\OWAProxyTestProbe',
    firstStep: /HTTP proxy log/,
    fix: /^Recycle MSExchangeOWAAppPool on SERVER1/,
  },
  {
    scenario: 'ews-proxy-iisreset',
    question: 'ews proxy on server2',
    healthSet: 'EWS.Proxy',
    monitor: 'EWSProxyTestMonitor',
    probe: 'EWS.Proxy\\EWSProxyTestProbe',
    firstStep: /HTTP proxy log/,
    fix: /IISReset/i,
    before: [/^Recycle MSExchangeServicesAppPool on SERVER2/],
  },
  {
    scenario: 'outlook-proxy-iisreset',
    question: 'outlook proxy on server1',
    healthSet: 'Outlook.Proxy',
    monitor: 'OutlookProxyTestMonitor',
    probe: 'Outlook.Proxy\\OutlookProxyTestProbe',
    firstStep: /HTTP proxy log/,
    fix: /IISReset/i,
    before: [/^Recycle MSExchangeRpcProxyAppPool on SERVER1/],
  },
  {
    scenario: 'activesync-apppool',
    question: 'activesync on server1',
    healthSet: 'ActiveSync',
    monitor: 'ActiveSyncCTPMonitor',
    probe: 'ActiveSync\\ActiveSyncCTPProbe',
    firstStep: /proxy log and the protocol's own log/,
    fix: /^Recycle MSExchangeSyncAppPool on SERVER1/,
  },
  {
    scenario: 'autodiscover-apppool',
    question: 'autodiscover on server2',
    healthSet: 'Autodiscover',
    monitor: 'AutodiscoverCtpMonitor',
    probe: 'Autodiscover\\AutodiscoverCtpProbe',
    firstStep: /proxy log and the protocol's own log/,
    fix: /^Recycle MSExchangeAutodiscoverAppPool on SERVER2/,
  },
  {
    scenario: 'oab-proxy-apppool',
    question: 'oab proxy on server1',
    healthSet: 'OAB.Proxy',
    monitor: 'OABProxyTestMonitor',
    probe: 'OAB.Proxy\\OABProxyTestProbe',
    firstStep: /HTTP proxy log/,
    fix: /^Recycle MSExchangeOABAppPool on SERVER1/,
  },
  {
    scenario: 'rps-proxy-apppool',
    question: 'remote powershell proxy on server2',
    healthSet: 'RPS.Proxy',
    monitor: 'RPSProxyTestMonitor',
    probe: 'RPS.Proxy\\RPSProxyTestProbe',
    firstStep: /HTTP proxy log/,
    fix: /^Recycle MSExchangePowerShellFrontEndAppPool on SERVER2/,
  },
  {
    scenario: 'pop-backend-hang',
    question: "what's wrong with pop3 on server1?",
    healthSet: 'POP',
    monitor: 'PopCTPMonitor',
    ladderMonitor: 'PopDeepTestMonitor',
    probe: 'POP\\PopCTPProbe',
    firstStep: /^Restart MSExchangePOP3BE on MBX1/,
    fix: /^Restart MSExchangePOP3BE on MBX1/,
  },
  {
    scenario: 'dataprotection-repl-stopped',
    question: 'dag replication on server2',
    healthSet: 'DataProtection',
    monitor: 'ServiceHealthMSExchangeReplEndpointMonitor',
    probe: 'DataProtection\\ServiceHealthMSExchangeReplEndpointProbe',
    firstStep: /database cop/i,
    fix: /^Restart MSExchangeRepl on SERVER2/,
  },
  {
    scenario: 'mrs-crashing',
    question: 'mailbox replication service on mbx1',
    healthSet: 'MRS',
    monitor: 'MRSServiceCrashingMonitor',
    probe: 'MRS\\MRSServiceCrashingProbe',
    firstStep: /MSExchangeMailboxReplication/,
    fix: /^Restart MSExchangeMailboxReplication on MBX1/,
  },
  {
    scenario: 'sitemailbox-servicehost',
    question: 'site mailbox on mbx1',
    healthSet: 'SiteMailbox',
    monitor: 'ServiceHostServiceRunningMonitor',
    firstStep: /MSExchangeServiceHost/,
    fix: /^Restart MSExchangeServiceHost on MBX1/,
  },
  {
    scenario: 'um-callrouter',
    question: 'um call router on server1',
    healthSet: 'UM.CallRouter',
    monitor: 'UMCallRouterTestMonitor',
    probe: 'UM.CallRouter\\UMCallRouterTestProbe',
    firstStep: /MSExchangeUMCR/,
    fix: /^Restart MSExchangeUMCR on SERVER1/,
  },
  {
    scenario: 'hubtransport-draining',
    question: 'hub transport on mbx1',
    healthSet: 'HubTransport',
    monitor: 'HubAvailabilityMonitor',
    probe: 'HubTransport\\HubAvailabilityProbe',
    firstStep: /HubTransport/,
    fix: /HubTransport/,
  },
];
