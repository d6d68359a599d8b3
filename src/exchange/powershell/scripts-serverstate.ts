/**
 * Scripts of the server-state area: the failover-cluster node of a DAG member (read, resume,
 * suspend) through WinRM on the target, and Managed Availability overrides through the Exchange
 * session. Values arrive in $p only; nothing is built into code with them (rules in scripts.ts).
 */
import type { ScriptName } from './scripts.ts';

/**
 * The DAG membership from Exchange first (a server outside any DAG has no cluster node), then the
 * node's state on the target through WinRM.
 */
const CLUSTER_NODE = `$dag = [string](Get-MailboxServer -Identity $p.server -ErrorAction Stop).DatabaseAvailabilityGroup
    if (-not $dag) { [pscustomobject]@{ State = 'None' } } else {
      $r = $global:HbRemoting
      $node = Invoke-Command -ComputerName $p.fqdn @r -ErrorAction Stop -ScriptBlock {
        $ErrorActionPreference = 'Stop'
        [pscustomobject]@{ State = [string](Get-ClusterNode -Name $env:COMPUTERNAME).State }
      }
      [pscustomobject]@{ State = [string]$node.State }
    }`;

/** The override rows as the parser reads them, from either cmdlet. */
const OVERRIDE_ROW = `@('PropertyName', 'PropertyValue', 'HealthSetName', 'MonitoringItemName', 'TargetResource', 'Identity', 'CreatedBy',
        @{ n = 'ItemType'; e = { [string]$_.ItemType } }, @{ n = 'ApplyVersion'; e = { [string]$_.ApplyVersion } },
        @{ n = 'ExpirationTime'; e = { hbDate $_.ExpirationTime } }, @{ n = 'CreatedTime'; e = { hbDate $_.CreatedTime } })`;

export const SERVERSTATE_BODIES = {
  'get-cluster-node': CLUSTER_NODE,

  // Resume-ClusterNode ends the pause maintenance put on the node; Suspend-ClusterNode is its put-back.
  'set-cluster-node': `$r = $global:HbRemoting
    $node = Invoke-Command -ComputerName $p.fqdn @r -ErrorAction Stop -ArgumentList ([string]$p.action) -ScriptBlock {
      param([string]$action)
      $ErrorActionPreference = 'Stop'
      if ($action -eq 'resume') { $null = Resume-ClusterNode -Name $env:COMPUTERNAME } else { $null = Suspend-ClusterNode -Name $env:COMPUTERNAME }
      [pscustomobject]@{ State = [string](Get-ClusterNode -Name $env:COMPUTERNAME).State }
    }
    [pscustomobject]@{ State = [string]$node.State }`,

  // Both kinds, each row marked with its scope; which health sets matter is decided by the parser.
  'get-monitoring-overrides': `$server = @(Get-ServerMonitoringOverride -Server $p.server -ErrorAction Stop)
    $global = @(Get-GlobalMonitoringOverride -ErrorAction Stop)
    $rows = @(foreach ($o in $server) { $o | Select-Object -Property (@(@{ n = 'Scope'; e = { 'server' } }) + ${OVERRIDE_ROW}) })
    $rows += @(foreach ($o in $global) { $o | Select-Object -Property (@(@{ n = 'Scope'; e = { 'global' } }) + ${OVERRIDE_ROW}) })
    [pscustomobject]@{ Overrides = $rows }`,

  // -Duration (dd.hh:mm:ss): the override ends by itself; the bot never has to remember to lift it.
  'add-monitoring-override': `$identity = [string]$p.healthSet + '\\' + [string]$p.item
    if ($p.targetResource) { $identity = $identity + '\\' + [string]$p.targetResource }
    $duration = [TimeSpan]::FromMinutes([int]$p.durationMinutes).ToString('d\\.hh\\:mm\\:ss')
    Add-ServerMonitoringOverride -Identity $identity -Server $p.server -ItemType ([string]$p.itemType) -PropertyName 'Enabled' -PropertyValue '0' -Duration $duration -Confirm:$false -ErrorAction Stop
    $made = @(Get-ServerMonitoringOverride -Server $p.server -ErrorAction Stop | Where-Object { [string]$_.Identity -eq $identity -or ([string]$_.HealthSetName -eq [string]$p.healthSet -and [string]$_.MonitoringItemName -eq [string]$p.item) })
    [pscustomobject]@{ Identity = $identity; Duration = $duration; Found = $made.Count; ExpirationTime = hbDate ($made | Select-Object -First 1).ExpirationTime }`,
} satisfies Partial<Record<ScriptName, string>>;
