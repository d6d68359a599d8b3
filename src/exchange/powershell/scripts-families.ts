/**
 * The read operations of the runbook families: transport queues, service health per role,
 * replication checks, the DAG and the IIS sites. Each answer is one object wrapping its rows, so
 * "Exchange returned nothing" (unreadable) stays apart from "there are no rows" (a real answer).
 */
import type { ScriptName } from './scripts.ts';

export const FAMILY_BODIES = {
  'get-queue': `$queues = @(Get-Queue -Server $p.server -ErrorAction Stop | ForEach-Object {
      [pscustomobject]@{
        Identity = [string]$_.Identity; DeliveryType = [string]$_.DeliveryType; Status = [string]$_.Status
        MessageCount = [int]$_.MessageCount; NextHopDomain = [string]$_.NextHopDomain; LastError = [string]$_.LastError
      }
    })
    [pscustomobject]@{ Queues = $queues }`,

  'test-service-health': `$rows = @(Test-ServiceHealth -Server $p.server -ErrorAction Stop | ForEach-Object {
      [pscustomobject]@{ Role = [string]$_.Role; RequiredServicesRunning = [bool]$_.RequiredServicesRunning; ServicesNotRunning = @($_.ServicesNotRunning | Where-Object { $_ } | ForEach-Object { [string]$_ }) }
    })
    [pscustomobject]@{ Roles = $rows }`,

  'test-replication-health': `$checks = @(Test-ReplicationHealth -Identity $p.server -ErrorAction Stop | ForEach-Object {
      [pscustomobject]@{ Check = [string]$_.Check; Result = [string]$_.Result; Error = [string]$_.Error }
    })
    [pscustomobject]@{ Checks = $checks }`,

  // A server outside any DAG answers with no DAG, which is an answer, not an error.
  'get-dag-status': `$m = Get-MailboxServer -Identity $p.server -ErrorAction Stop
    # No answer is not "outside any DAG": it is unreadable.
    if (-not $m) { throw "Get-MailboxServer returned nothing for the server" }
    $dag = $null
    if ($m.DatabaseAvailabilityGroup) {
      $d = Get-DatabaseAvailabilityGroup -Identity ([string]$m.DatabaseAvailabilityGroup) -Status -ErrorAction Stop
      $dag = [pscustomobject]@{
        Name = [string]$d.Name
        Servers = @($d.Servers | ForEach-Object { [string]$_ })
        OperationalServers = @($d.OperationalServers | ForEach-Object { [string]$_ })
        PrimaryActiveManager = [string]$d.PrimaryActiveManager
        WitnessServer = [string]$d.WitnessServer
        WitnessShareInUse = [string]$d.WitnessShareInUse
      }
    }
    [pscustomobject]@{ Dag = $dag }`,

  // appcmd.exe comes with IIS; its XML lists every site with its state and bindings.
  'get-website': `$r = $global:HbRemoting
    $sites = @(Invoke-Command -ComputerName $p.fqdn @r -ErrorAction Stop -ScriptBlock {
      $ErrorActionPreference = 'Stop'
      $appcmd = "$env:windir\\System32\\inetsrv\\appcmd.exe"
      $text = (& $appcmd list site /xml | Out-String)
      if ($LASTEXITCODE -ne 0) { throw "appcmd could not list the sites: $text" }
      $xml = [xml]$text
      @($xml.appcmd.SITE | Where-Object { $_ } | ForEach-Object { [pscustomobject]@{ Name = [string]$_.'SITE.NAME'; State = [string]$_.state; Bindings = [string]$_.bindings } })
    } | Select-Object -Property @('Name', 'State', 'Bindings'))
    [pscustomobject]@{ Sites = $sites }`,
} satisfies Partial<Record<ScriptName, string>>;
