/**
 * Discovery: which health sets a server reports and which probes and monitors each one runs.
 * The bot learns from this what no runbook says (a newer version's health sets, monitor names
 * pasted from an alert), so it never has to keep such lists in code.
 */
import type { ScriptName } from './scripts.ts';

export const DISCOVERY_BODIES = {
  // Get-MonitoringItemIdentity answers for one health set at a time, so the sets come first: the
  // ones asked for, or every set Get-HealthReport lists. An empty or null -Identity would return
  // every item of every set (the cmdlet's documented caution), so empty names are dropped first.
  'get-monitoring-items': `$sets = @($p.healthSets | Where-Object { $_ } | ForEach-Object { [string]$_ })
    if ($sets.Count -eq 0) {
      $sets = @(Get-HealthReport -Identity $p.server -ErrorAction Stop | ForEach-Object { if ($_.HealthSet) { [string]$_.HealthSet } else { [string]$_.HealthSetName } } | Where-Object { $_ } | Select-Object -Unique)
    }
    $items = @(foreach ($set in $sets) {
      Get-MonitoringItemIdentity -Identity $set -Server $p.server -ErrorAction Stop | Select-Object -Property @(
        @{ n = 'HealthSetName'; e = { [string]$_.HealthSetName } }, @{ n = 'Name'; e = { [string]$_.Name } },
        @{ n = 'ItemType'; e = { [string]$_.ItemType } }, @{ n = 'TargetResource'; e = { [string]$_.TargetResource } })
    })
    [pscustomobject]@{ HealthSets = $sets; Items = $items }`,
} satisfies Partial<Record<ScriptName, string>>;
