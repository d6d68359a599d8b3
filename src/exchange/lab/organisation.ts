/**
 * The lab's Exchange organisation, contoso.com: two multi-role servers and one Mailbox-only
 * server in one DAG, so every runbook path exists here: a CAS-side probe that names a back end,
 * a server restart that needs its databases moved first, and a database that has somewhere to go.
 */
import type { DatabaseCopy, ServerInfo, ServiceName, AppPoolName, ServerRole } from '../../core/index.ts';

export const LAB_DOMAIN = 'contoso.com';

export const LAB_SERVERS: readonly ServerInfo[] = [
  {
    name: 'SERVER1',
    fqdn: 'server1.contoso.com',
    roles: ['ClientAccess', 'Mailbox'],
    site: 'Default-First-Site-Name',
    version: 'Version 15.0 (Build 1497.2)',
    dag: 'DAG1',
  },
  {
    name: 'SERVER2',
    fqdn: 'server2.contoso.com',
    roles: ['ClientAccess', 'Mailbox'],
    site: 'Default-First-Site-Name',
    version: 'Version 15.0 (Build 1497.2)',
    dag: 'DAG1',
  },
  {
    name: 'MBX1',
    fqdn: 'mbx1.contoso.com',
    roles: ['Mailbox'],
    site: 'Default-First-Site-Name',
    version: 'Version 15.0 (Build 1497.2)',
    dag: 'DAG1',
  },
];

/** Each database has an active copy and a passive one elsewhere. */
export const LAB_COPIES: readonly DatabaseCopy[] = [
  { database: 'DB01', server: 'MBX1', status: 'Mounted', activationPreference: 1 },
  { database: 'DB01', server: 'SERVER1', status: 'Healthy', activationPreference: 2 },
  { database: 'DB02', server: 'SERVER1', status: 'Mounted', activationPreference: 1 },
  { database: 'DB02', server: 'SERVER2', status: 'Healthy', activationPreference: 2 },
  { database: 'DB03', server: 'SERVER2', status: 'Mounted', activationPreference: 1 },
  { database: 'DB03', server: 'MBX1', status: 'Healthy', activationPreference: 2 },
];

/** Which services and app pools a role installs (the subset the catalogue knows). */
const SERVICES_BY_ROLE: Readonly<Record<ServerRole, readonly ServiceName[]>> = {
  ClientAccess: [
    'MSExchangeIMAP4',
    'MSExchangePOP3',
    'MSExchangeUMCR',
    'W3SVC',
    'MSExchangeHM',
    'MSExchangeServiceHost',
  ],
  Mailbox: [
    'MSExchangeIMAP4BE',
    'MSExchangePOP3BE',
    'MSExchangeUM',
    'MSExchangeRepl',
    'MSExchangeMailboxReplication',
    'W3SVC',
    'MSExchangeHM',
    'MSExchangeServiceHost',
  ],
};

const APP_POOLS_BY_ROLE: Readonly<Record<ServerRole, readonly AppPoolName[]>> = {
  ClientAccess: [
    'MSExchangeECPAppPool',
    'MSExchangeServicesAppPool',
    'MSExchangeOWAAppPool',
    'MSExchangeOWACalendarAppPool',
    'MSExchangeSyncAppPool',
    'MSExchangeAutodiscoverAppPool',
    'MSExchangeOABAppPool',
    'MSExchangeRpcProxyAppPool',
    'MSExchangePowerShellFrontEndAppPool',
  ],
  Mailbox: [
    'MSExchangeECPAppPool',
    'MSExchangeServicesAppPool',
    'MSExchangeOWAAppPool',
    'MSExchangeSyncAppPool',
    'MSExchangeAutodiscoverAppPool',
    'MSExchangeOABAppPool',
    'MSExchangeRpcProxyAppPool',
  ],
};

export function servicesOn(server: ServerInfo): Set<ServiceName> {
  return new Set(server.roles.flatMap((r) => SERVICES_BY_ROLE[r]));
}

export function appPoolsOn(server: ServerInfo): Set<AppPoolName> {
  return new Set(server.roles.flatMap((r) => APP_POOLS_BY_ROLE[r]));
}

/** Display names as Get-Service shows them. */
export const SERVICE_DISPLAY_NAMES: Readonly<Record<ServiceName, string>> = {
  MSExchangeIMAP4: 'Microsoft Exchange IMAP4',
  MSExchangeIMAP4BE: 'Microsoft Exchange IMAP4 Backend',
  MSExchangePOP3: 'Microsoft Exchange POP3',
  MSExchangePOP3BE: 'Microsoft Exchange POP3 Backend',
  MSExchangeHM: 'Microsoft Exchange Health Manager',
  MSExchangeServiceHost: 'Microsoft Exchange Service Host',
  MSExchangeMailboxReplication: 'Microsoft Exchange Mailbox Replication',
  MSExchangeRepl: 'Microsoft Exchange Replication',
  MSExchangeUM: 'Microsoft Exchange Unified Messaging',
  MSExchangeUMCR: 'Microsoft Exchange Unified Messaging Call Router',
  W3SVC: 'World Wide Web Publishing Service',
};
