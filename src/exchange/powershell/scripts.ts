/**
 * The registry of fixed PowerShell scripts (bodies in scripts-*.ts, frame in script-frame.ts): one per operation of the catalogue, plus the few the gateway
 * needs for itself (connect, check, inventory, doctor's checks, disconnect).
 *
 * Rules every script follows, and why:
 * - The text never changes with the request. Values arrive in `$HbValues` (base64 JSON, see
 *   encode.ts) and are only ever used as values: parameters of cmdlets, `-ArgumentList` of
 *   Invoke-Command, comparisons. Nothing is built into code with them.
 * - Every Exchange cmdlet gets `-ErrorAction Stop`: imported session commands live in a module,
 *   where the caller's `$ErrorActionPreference` does not reach, so an error would otherwise be
 *   written to stderr and the script would go on with no data.
 * - Output is one line of JSON, `{"healthbot":1,"ok":...,"data":[...],"warnings":[...]}`, written
 *   with [Console]::Out so no formatter wraps it. Warnings are captured (3>&1) into the envelope
 *   instead of reaching the console, where node-powershell would count them as errors.
 * - Properties are selected explicitly (`Select-Object -Property @('Name', ...)`, quoted, so the
 *   list reads the same to every PowerShell parser), and enums are cast to [string] so they
 *   arrive as names.
 * - OS-level operations (services, IIS, restart) run on the target with Invoke-Command, because
 *   the Exchange session only proxies Exchange cmdlets; the remoting settings (authentication,
 *   credential) were put in `$global:HbRemoting` by the connect script.
 */
import type { GatewayOperationKind, OperationKind } from '../../core/index.ts';
import { EPILOGUE, PROLOGUE } from './script-frame.ts';
import { GATEWAY_BODIES } from './scripts-gateway.ts';
import { EXCHANGE_BODIES } from './scripts-exchange.ts';
import { OS_BODIES } from './scripts-os.ts';
import { RECOVERY_BODIES } from './scripts-recovery.ts';
import { SERVERSTATE_BODIES } from './scripts-serverstate.ts';
import { EVIDENCE_BODIES, EVIDENCE_NEEDS, EVIDENCE_REMOTE } from './scripts-evidence.ts';
import { FAMILY_BODIES } from './scripts-families.ts';
import { DISCOVERY_BODIES } from './scripts-discovery.ts';

export type GatewayScript =
  'connect' | 'connect-stand-in' | 'check' | 'inventory' | 'disconnect' | 'version' | 'permissions' | 'remote-check';
/** Composed operations (leaving maintenance) are run by the engine step by step: they have no script. */
export type ScriptName = GatewayOperationKind | GatewayScript;

// Each area lives in its own file; together they must cover every operation and gateway script.
const BODIES: Record<ScriptName, string> = {
  ...GATEWAY_BODIES,
  ...EXCHANGE_BODIES,
  ...OS_BODIES,
  ...RECOVERY_BODIES,
  ...SERVERSTATE_BODIES,
  ...EVIDENCE_BODIES,
  ...FAMILY_BODIES,
  ...DISCOVERY_BODIES,
};

/** The marker on a script's first line: how logs and the stand-in pwsh tell scripts apart. */
export const SCRIPT_MARKER = '# healthbot-script: ';

const compose = (name: ScriptName) => `${SCRIPT_MARKER}${name}\n${PROLOGUE}\n    ${BODIES[name]}\n${EPILOGUE}\n`;

export const SCRIPTS: Readonly<Record<ScriptName, string>> = Object.fromEntries(
  (Object.keys(BODIES) as ScriptName[]).map((name) => [name, compose(name)]),
) as Record<ScriptName, string>;

/** Exchange cmdlets (and the parameters beyond Identity/Server) each operation needs from RBAC. */
export const EXCHANGE_NEEDS: Readonly<
  Partial<Record<ScriptName, readonly { cmdlet: string; parameters?: readonly string[] }[]>>
> = {
  inventory: [{ cmdlet: 'Get-ExchangeServer' }],
  'get-server-health': [{ cmdlet: 'Get-ServerHealth' }],
  'invoke-probe': [{ cmdlet: 'Invoke-MonitoringProbe' }],
  'get-database-copy-status': [{ cmdlet: 'Get-MailboxDatabaseCopyStatus' }],
  'set-database-activation': [
    {
      cmdlet: 'Set-MailboxServer',
      parameters: ['DatabaseCopyActivationDisabledAndMoveNow', 'DatabaseCopyAutoActivationPolicy'],
    },
    { cmdlet: 'Get-MailboxDatabaseCopyStatus' },
    { cmdlet: 'Get-MailboxServer' },
  ],
  'get-protocol-logging': [{ cmdlet: 'Get-ImapSettings' }, { cmdlet: 'Get-PopSettings' }],
  'set-protocol-logging': [
    { cmdlet: 'Set-ImapSettings', parameters: ['ProtocolLogEnabled'] },
    { cmdlet: 'Set-PopSettings', parameters: ['ProtocolLogEnabled'] },
    { cmdlet: 'Get-ImapSettings' },
    { cmdlet: 'Get-PopSettings' },
  ],
  'get-restart-readiness': [
    { cmdlet: 'Get-MailboxServer' },
    { cmdlet: 'Get-ServerComponentState' },
    { cmdlet: 'Get-MailboxDatabaseCopyStatus' },
  ],
  'get-server-state': [
    { cmdlet: 'Get-ServerComponentState' },
    { cmdlet: 'Test-ServiceHealth' },
    { cmdlet: 'Get-MailboxServer' },
  ],
  'redirect-messages': [{ cmdlet: 'Redirect-Message', parameters: ['Target'] }],
  'rebalance-databases': [{ cmdlet: 'Move-ActiveMailboxDatabase', parameters: ['ActivatePreferredOnServer'] }],
  'get-monitoring-mailboxes': [
    { cmdlet: 'Get-Mailbox', parameters: ['Monitoring'] },
    { cmdlet: 'Get-MailboxDatabaseCopyStatus' },
  ],
  'get-directory-servers': [{ cmdlet: 'Get-ExchangeServer', parameters: ['Status'] }],
  'get-queue': [{ cmdlet: 'Get-Queue' }],
  'test-service-health': [{ cmdlet: 'Test-ServiceHealth' }],
  'test-replication-health': [{ cmdlet: 'Test-ReplicationHealth' }],
  'get-dag-status': [
    { cmdlet: 'Get-MailboxServer' },
    { cmdlet: 'Get-DatabaseAvailabilityGroup', parameters: ['Status'] },
  ],
  'get-monitoring-items': [{ cmdlet: 'Get-HealthReport' }, { cmdlet: 'Get-MonitoringItemIdentity' }],
  'set-server-component-state': [
    { cmdlet: 'Set-ServerComponentState', parameters: ['Component', 'State', 'Requester'] },
    { cmdlet: 'Get-ServerComponentState' },
  ],
  'get-cluster-node': [{ cmdlet: 'Get-MailboxServer' }],
  'get-monitoring-overrides': [{ cmdlet: 'Get-ServerMonitoringOverride' }, { cmdlet: 'Get-GlobalMonitoringOverride' }],
  'add-monitoring-override': [
    { cmdlet: 'Add-ServerMonitoringOverride', parameters: ['ItemType', 'PropertyName', 'PropertyValue', 'Duration'] },
    { cmdlet: 'Get-ServerMonitoringOverride' },
  ],
  ...EVIDENCE_NEEDS,
};

/** Every Exchange cmdlet the gateway uses: what the connect script imports and doctor checks. */
export const EXCHANGE_CMDLETS: readonly string[] = [
  ...new Set(Object.values(EXCHANGE_NEEDS).flatMap((needs) => needs!.map((n) => n.cmdlet))),
].sort();

/** Operations that reach the target server's OS through WinRM rather than Exchange RBAC. */
export const REMOTE_OS_OPERATIONS: readonly OperationKind[] = [
  'get-service',
  'restart-service',
  'get-app-pool',
  'recycle-app-pool',
  'iis-reset',
  'restart-server',
  'get-server-state',
  'get-cluster-node',
  'set-cluster-node',
  'get-website',
  ...EVIDENCE_REMOTE,
];
