/**
 * Evidence reads: what Managed Availability already did (RecoveryActionResults), a probe's recent
 * results (ProbeResult), the Windows events that explain a crash or a restart, and the monitoring
 * items of a health set. All read-only.
 *
 * Event channels are read on the target with Get-WinEvent and -FilterXPath, always bounded by
 * time (`timediff(@SystemTime) <= ms`) and -MaxEvents: the ProbeResult channel logs hundreds of
 * results a minute, and an unfiltered read of it slows the server down. The only values in an
 * XPath are a number cast with [long] and item names that the script itself re-checks against
 * the characters Exchange uses in them (the gateway checked them too); a name that fails the
 * check ends the script instead of widening the filter. Each event leaves as its own XML
 * (EventLogRecord.ToXml()), parsed by parse-evidence.ts.
 */
import type { ScriptName } from './scripts.ts';
import { REMOTE } from './script-frame.ts';

/** Reads one channel with an XPath filter; "no events" is an empty answer, every other error ends the script. */
const READ_CHANNEL = `function hbEvents([string]$log, [string]$xpath, [int]$max) {
        $hbMissing = $null
        $found = @(Get-WinEvent -LogName $log -FilterXPath $xpath -MaxEvents $max -ErrorAction SilentlyContinue -ErrorVariable hbMissing)
        foreach ($e in @($hbMissing)) { if ([string]$e.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') { throw $e } }
        $found
      }
      $within = 'TimeCreated[timediff(@SystemTime) <= ' + [string][long]$sinceMs + ']'`;

export const EVIDENCE_BODIES = {
  'get-recovery-actions':
    REMOTE(
      '([long]$p.sinceMs), ([int]$p.maxEvents)',
      `      param($sinceMs, $max)
      $ErrorActionPreference = 'Stop'
      ${READ_CHANNEL}
      hbEvents 'Microsoft-Exchange-ManagedAvailability/RecoveryActionResults' ('*[System[' + $within + ']]') $max | ForEach-Object { [pscustomobject]@{ Xml = [string]$_.ToXml() } }`,
    ) + " | Select-Object -Property @('Xml')",

  'get-probe-history':
    REMOTE(
      '@($p.resultNames), @($p.monitors), ([long]$p.sinceMs), ([int]$p.maxEvents)',
      `      param($names, $monitors, $sinceMs, $max)
      $ErrorActionPreference = 'Stop'
      ${READ_CHANNEL}
      $itemName = '^[A-Za-z0-9][A-Za-z0-9._/-]{0,255}$'
      foreach ($n in @($names) + @($monitors)) { if ($null -ne $n -and [string]$n -cnotmatch $itemName) { throw ('not a monitoring item name: ' + [string]$n) } }
      # A counter monitor has no probe of its own: its ResultName is the SampleMask of its definition.
      $masks = foreach ($m in @($monitors | Where-Object { $_ })) {
        $def = @(hbEvents 'Microsoft-Exchange-ActiveMonitoring/MonitorDefinition' ("*[UserData[EventXML[Name='" + [string]$m + "']]]") 1)
        if ($def.Count -gt 0) {
          $mask = [string]([xml]$def[0].ToXml()).Event.UserData.EventXML.SampleMask
          if ($mask -cmatch $itemName) { $mask }
        }
      }
      $all = @(@($names) + @($masks) | Where-Object { $_ } | ForEach-Object { [string]$_ } | Select-Object -Unique)
      # Without a name there is nothing to ask for: never an unfiltered read of ProbeResult.
      $xml = @()
      if ($all.Count -gt 0) {
        $byName = ($all | ForEach-Object { "ResultName='" + $_ + "'" }) -join ' or '
        $xml = @(hbEvents 'Microsoft-Exchange-ActiveMonitoring/ProbeResult' ('*[System[' + $within + ']] and *[UserData[EventXML[' + $byName + ']]]') $max | ForEach-Object { [string]$_.ToXml() })
      }
      [pscustomobject]@{ ResultNames = $all; Events = $xml }`,
    ) + " | Select-Object -Property @('ResultNames', 'Events')",

  'get-windows-events':
    REMOTE(
      '([long]$p.sinceMs), ([int]$p.maxEvents)',
      `      param($sinceMs, $max)
      $ErrorActionPreference = 'Stop'
      ${READ_CHANNEL}
      # Service crashes (7031, 7034), who restarted the server (1074), unexpected shutdowns (6008, 41), app pool failures (WAS 5002, 5011, 5013).
      $system = '*[System[(EventID=7031 or EventID=7034 or EventID=1074 or EventID=6008 or EventID=41 or EventID=5002 or EventID=5011 or EventID=5013) and ' + $within + ']]'
      # Exchange's Watson reports (4999, MSExchange Common).
      $application = '*[System[EventID=4999 and ' + $within + ']]'
      @(hbEvents 'System' $system $max) + @(hbEvents 'Application' $application $max) | ForEach-Object { [pscustomobject]@{ Xml = [string]$_.ToXml() } }`,
    ) + " | Select-Object -Property @('Xml')",

  'get-monitoring-item-identity': `Get-MonitoringItemIdentity -Identity $p.healthSet -Server $p.server -ErrorAction Stop | Select-Object -Property @('Identity', 'HealthSetName', 'Name', 'TargetResource', @{ n = 'ItemType'; e = { [string]$_.ItemType } })`,
} satisfies Partial<Record<ScriptName, string>>;

/** Exchange cmdlets the evidence reads need from RBAC (the event channels are read over WinRM). */
export const EVIDENCE_NEEDS = {
  'get-monitoring-item-identity': [{ cmdlet: 'Get-MonitoringItemIdentity' }],
} as const;

/** The evidence reads that reach the target's event logs through WinRM. */
export const EVIDENCE_REMOTE = ['get-recovery-actions', 'get-probe-history', 'get-windows-events'] as const;
