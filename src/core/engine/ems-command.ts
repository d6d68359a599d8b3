/**
 * "Copy as EMS command": every operation of the catalogue as the Exchange Management Shell
 * command a person would type to check or do the same by hand, or to quote in a support case.
 * The text is for reading only; nothing ever runs it. The gateway runs the fixed script of the
 * operation (scripts-*.ts), and a test checks that each template names the cmdlets that script
 * calls. Values are quoted the way PowerShell reads single-quoted text (quotes doubled, the
 * typographic single quotes included, since PowerShell treats them as quotes too), so a copied
 * command means what it shows.
 */
import type { Operation, OperationKind } from '../model/operations.ts';

/** A value as a PowerShell single-quoted string. */
export function psQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

const onTarget = (server: string, block: string) =>
  `Invoke-Command -ComputerName ${psQuote(server)} -ScriptBlock { ${block} }`;
const within = (minutes: number) => `TimeCreated[timediff(@SystemTime) <= ${Math.trunc(minutes) * 60_000}]`;
const events = (log: string, xpath: string) =>
  `Get-WinEvent -LogName ${psQuote(log)} -FilterXPath ${psQuote(xpath)} -MaxEvents 200`;
const appcmd = '& "$env:windir\\System32\\inetsrv\\appcmd.exe"';

type Template<K extends OperationKind> = (op: Extract<Operation, { kind: K }>) => string;

/** One template per operation. Partial so that a new operation shows up in the coverage test, not as a type error in every branch. */
const TEMPLATES: { readonly [K in OperationKind]?: Template<K> } = {
  'get-server-health': (op) =>
    (op.healthSets ?? []).length === 0
      ? `Get-ServerHealth -Identity ${psQuote(op.server)}`
      : op
          .healthSets!.map((h) => `Get-ServerHealth -Identity ${psQuote(op.server)} -HealthSet ${psQuote(h)}`)
          .join('; '),
  'invoke-probe': (op) =>
    `Invoke-MonitoringProbe -Identity ${psQuote([op.healthSet, op.probe, ...(op.targetResource ? [op.targetResource] : [])].join('\\'))} -Server ${psQuote(op.server)}`,
  'get-service': (op) =>
    onTarget(op.server, `Get-Service -Name ${psQuote(op.service)} | Select-Object Name, Status, StartType`),
  'restart-service': (op) =>
    onTarget(op.server, `Stop-Service -Name ${psQuote(op.service)} -Force; Start-Service -Name ${psQuote(op.service)}`),
  'get-app-pool': (op) =>
    onTarget(op.server, `${appcmd} list apppool ${psQuote(`/apppool.name:${op.appPool}`)} /text:state`),
  'recycle-app-pool': (op) =>
    onTarget(op.server, `${appcmd} recycle apppool ${psQuote(`/apppool.name:${op.appPool}`)}`),
  'iis-reset': (op) => onTarget(op.server, '& "$env:windir\\System32\\iisreset.exe" /noforce'),
  'restart-server': (op) =>
    onTarget(op.server, `& "$env:windir\\System32\\shutdown.exe" /r /t 15 /d p:4:1 /c 'Healthbot: approved restart'`),
  'set-database-activation': (op) =>
    op.mode === 'move-now'
      ? `Set-MailboxServer -Identity ${psQuote(op.server)} -DatabaseCopyActivationDisabledAndMoveNow $true -DatabaseCopyAutoActivationPolicy Blocked`
      : `Set-MailboxServer -Identity ${psQuote(op.server)} -DatabaseCopyActivationDisabledAndMoveNow $false${op.restorePolicy ? ` -DatabaseCopyAutoActivationPolicy ${psQuote(op.restorePolicy)}` : ''}`,
  'get-database-copy-status': (op) => `Get-MailboxDatabaseCopyStatus -Server ${psQuote(op.server)}`,
  'get-protocol-logging': (op) =>
    `${op.protocol === 'imap' ? 'Get-ImapSettings' : 'Get-PopSettings'} -Server ${psQuote(op.server)} | Format-List ProtocolLogEnabled, LogFileLocation`,
  'set-protocol-logging': (op) =>
    `${op.protocol === 'imap' ? 'Set-ImapSettings' : 'Set-PopSettings'} -Server ${psQuote(op.server)} -ProtocolLogEnabled $${op.enabled ? 'true' : 'false'}`,
  'get-restart-readiness': (op) =>
    `Get-MailboxServer -Identity ${psQuote(op.server)} | Format-List DatabaseAvailabilityGroup, DatabaseCopyAutoActivationPolicy, DatabaseCopyActivationDisabledAndMoveNow; Get-ServerComponentState -Identity ${psQuote(op.server)} -Component ServerWideOffline; Get-MailboxDatabaseCopyStatus -Server ${psQuote(op.server)}`,
  'get-server-state': (op) =>
    `Get-ServerComponentState -Identity ${psQuote(op.server)}; Test-ServiceHealth -Server ${psQuote(op.server)}; Get-MailboxServer -Identity ${psQuote(op.server)} | Format-List DatabaseCopy*`,
  'set-server-component-state': (op) =>
    `Set-ServerComponentState -Identity ${psQuote(op.server)} -Component ${psQuote(op.component)} -State ${op.state} -Requester ${op.requester}`,
  'redirect-messages': (op) => `Redirect-Message -Server ${psQuote(op.server)} -Target ${psQuote(op.target)}`,
  'get-monitoring-mailboxes': (op) =>
    `Get-Mailbox -Monitoring | Where-Object { $_.DisplayName -like ${psQuote(`HealthMailbox-${op.server}-*`)} } | Get-MailboxDatabaseCopyStatus`,
  'get-directory-servers': (op) =>
    `Get-ExchangeServer -Identity ${psQuote(op.server)} -Status | Format-List CurrentDomainControllers, CurrentGlobalCatalogs`,
  'get-recovery-actions': (op) =>
    onTarget(
      op.server,
      events('Microsoft-Exchange-ManagedAvailability/RecoveryActionResults', `*[System[${within(op.sinceMinutes)}]]`),
    ),
  'get-probe-history': (op) => {
    const names = op.resultNames.map((n) => `ResultName="${n}"`).join(' or ');
    const definition = (op.monitors ?? []).map(
      (m) =>
        `${events('Microsoft-Exchange-ActiveMonitoring/MonitorDefinition', `*[UserData[EventXML[Name="${m}"]]]`)} | ForEach-Object { ([xml]$_.ToXml()).Event.UserData.EventXML.SampleMask }`,
    );
    const history = names
      ? [
          events(
            'Microsoft-Exchange-ActiveMonitoring/ProbeResult',
            `*[System[${within(op.sinceMinutes)}]] and *[UserData[EventXML[${names}]]]`,
          ),
        ]
      : [];
    return onTarget(op.server, [...definition, ...history].join('; '));
  },
  'get-windows-events': (op) =>
    onTarget(
      op.server,
      `${events('System', `*[System[(EventID=7031 or EventID=7034 or EventID=1074 or EventID=6008 or EventID=41 or EventID=5002 or EventID=5011 or EventID=5013) and ${within(op.sinceMinutes)}]]`)}; ${events('Application', `*[System[EventID=4999 and ${within(op.sinceMinutes)}]]`)}`,
    ),
  'get-monitoring-item-identity': (op) =>
    `Get-MonitoringItemIdentity -Identity ${psQuote(op.healthSet)} -Server ${psQuote(op.server)}`,
  'rebalance-databases': (op) => `Move-ActiveMailboxDatabase -ActivatePreferredOnServer ${psQuote(op.server)}`,
  'get-queue': (op) => `Get-Queue -Server ${psQuote(op.server)}`,
  'test-service-health': (op) => `Test-ServiceHealth -Server ${psQuote(op.server)}`,
  'test-replication-health': (op) => `Test-ReplicationHealth -Identity ${psQuote(op.server)}`,
  'get-dag-status': (op) =>
    `Get-DatabaseAvailabilityGroup -Identity (Get-MailboxServer -Identity ${psQuote(op.server)}).DatabaseAvailabilityGroup -Status`,
  'get-website': (op) => onTarget(op.server, `& "$env:windir\\System32\\inetsrv\\appcmd.exe" list site`),
  'get-monitoring-items': (op) =>
    (op.healthSets ?? []).length === 0
      ? `Get-HealthReport -Identity ${psQuote(op.server)}; Get-MonitoringItemIdentity -Identity '<health set>' -Server ${psQuote(op.server)}`
      : op
          .healthSets!.map((h) => `Get-MonitoringItemIdentity -Identity ${psQuote(h)} -Server ${psQuote(op.server)}`)
          .join('; '),
  'get-cluster-node': (op) => onTarget(op.server, 'Get-ClusterNode -Name $env:COMPUTERNAME'),
  'set-cluster-node': (op) =>
    onTarget(
      op.server,
      `${op.action === 'resume' ? 'Resume-ClusterNode' : 'Suspend-ClusterNode'} -Name $env:COMPUTERNAME`,
    ),
  'get-monitoring-overrides': (op) => {
    const touching = `Where-Object { $_.HealthSetName -in @(${op.healthSets.map(psQuote).join(', ')}) }`;
    return `Get-ServerMonitoringOverride -Server ${psQuote(op.server)} | ${touching}; Get-GlobalMonitoringOverride | ${touching}`;
  },
  'add-monitoring-override': (op) => {
    const identity = [op.healthSet, op.item, ...(op.targetResource ? [op.targetResource] : [])].join('\\');
    const hours = Math.floor(op.durationMinutes / 60);
    const duration = `${Math.floor(hours / 24)}.${String(hours % 24).padStart(2, '0')}:${String(op.durationMinutes % 60).padStart(2, '0')}:00`;
    return `Add-ServerMonitoringOverride -Identity ${psQuote(identity)} -Server ${psQuote(op.server)} -ItemType ${op.itemType} -PropertyName Enabled -PropertyValue 0 -Duration ${duration}`;
  },
  // Composed by the engine: the commands of its steps, in the order they run.
  'exit-maintenance': (op) => op.steps.map((step) => emsCommand(step.do)).join('; '),
};

/** The operations with a template; a test checks that this is every operation of the catalogue. */
export const EMS_KINDS = Object.keys(TEMPLATES) as OperationKind[];

/** The command a person would type for `op`, or undefined for an operation without a template yet. */
export function emsCommand(op: Operation): string | undefined {
  const template = TEMPLATES[op.kind] as Template<OperationKind> | undefined;
  return template?.(op as never);
}
