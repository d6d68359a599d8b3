/** SERVER1 as the PowerShell gateway lists it: a Mailbox and Client Access server in DAG1. */
import type { ServerInfo } from '../../../src/core/index.ts';

export const SERVER1: ServerInfo = {
  name: 'SERVER1',
  fqdn: 'server1.contoso.com',
  roles: ['Mailbox', 'ClientAccess'],
  site: 'Default-First-Site-Name',
  version: '15.1',
  dag: 'DAG1',
};
