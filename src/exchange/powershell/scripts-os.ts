/**
 * Operations on the target server's operating system (services, IIS, restart), run there with Invoke-Command.
 */
import type { ScriptName } from './scripts.ts';
import { REMOTE } from './script-frame.ts';

export const OS_BODIES = {
  'get-service':
    REMOTE(
      '$p.service',
      `      param($name)
      $ErrorActionPreference = 'Stop'
      Get-Service -Name $name | Select-Object -Property @('Name', 'DisplayName', @{ n = 'Status'; e = { [string]$_.Status } }, @{ n = 'StartType'; e = { [string]$_.StartType } })`,
    ) + " | Select-Object -Property @('Name', 'DisplayName', 'Status', 'StartType')",

  'restart-service':
    REMOTE(
      '$p.service, $p.stopWaitSeconds',
      `      param($name, $stopWaitSeconds)
      $ErrorActionPreference = 'Stop'
      $startType = [string](Get-Service -Name $name).StartType
      # Stop, and wait for the stop for a bounded time: a service stuck in StopPending is reported
      # as such instead of holding the call until the bot's own timeout. -Force: Exchange services have dependents.
      Stop-Service -Name $name -Force -NoWait -WarningAction SilentlyContinue
      $deadline = (Get-Date).AddSeconds([int]$stopWaitSeconds)
      while ([string](Get-Service -Name $name).Status -ne 'Stopped' -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 500 }
      $status = [string](Get-Service -Name $name).Status
      if ($status -ne 'Stopped') {
        [pscustomobject]@{ Name = $name; Status = $status; StartType = $startType; StoppedInTime = $false; ProcessStartTime = $null }
        return
      }
      Start-Service -Name $name -WarningAction SilentlyContinue
      # The new process's start time shows the restart really happened.
      $process = Get-CimInstance -ClassName Win32_Service | Where-Object { $_.Name -eq $name } | Select-Object -First 1
      $started = if ($process -and $process.ProcessId) { (Get-Process -Id $process.ProcessId).StartTime } else { $null }
      [pscustomobject]@{
        Name = $name; Status = [string](Get-Service -Name $name).Status; StartType = $startType; StoppedInTime = $true
        ProcessStartTime = if ($started) { ([datetime]$started).ToUniversalTime().ToString('o') } else { $null }
      }`,
    ) + " | Select-Object -Property @('Name', 'Status', 'StartType', 'StoppedInTime', 'ProcessStartTime')",

  'get-app-pool':
    REMOTE(
      '$p.appPool',
      `      param($name)
      $ErrorActionPreference = 'Stop'
      # appcmd.exe comes with IIS; the WebAdministration module is not always there.
      $appcmd = "$env:windir\\System32\\inetsrv\\appcmd.exe"
      $state = (& $appcmd list apppool "/apppool.name:$name" /text:state | Out-String).Trim()
      if ($LASTEXITCODE -ne 0) { throw "appcmd could not read application pool $($name): $state" }
      [pscustomobject]@{ Name = $name; State = $state }`,
    ) + " | Select-Object -Property @('Name', 'State')",

  'recycle-app-pool':
    REMOTE(
      '$p.appPool',
      `      param($name)
      $ErrorActionPreference = 'Stop'
      $appcmd = "$env:windir\\System32\\inetsrv\\appcmd.exe"
      $before = (& $appcmd list apppool "/apppool.name:$name" /text:state | Out-String).Trim()
      if ($LASTEXITCODE -ne 0) { throw "appcmd could not read application pool $($name): $before" }
      # A stopped pool cannot be recycled: it is started, and reported as started.
      $verb = if ($before -eq 'Stopped') { 'start' } else { 'recycle' }
      $out = (& $appcmd $verb apppool "/apppool.name:$name" 2>&1 | Out-String).Trim()
      if ($LASTEXITCODE -ne 0) { throw "appcmd $verb apppool $($name) failed: $out" }
      # WAS stops a pool whose worker process keeps failing (rapid-fail protection, event 5002).
      $rapidFail = $null
      if ($before -eq 'Stopped') {
        $rapidFail = Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-WAS'; Id = 5002 } -MaxEvents 50 -ErrorAction SilentlyContinue |
          Where-Object { ([string]$_.Message).Contains($name) } | Select-Object -First 1
      }
      $after = (& $appcmd list apppool "/apppool.name:$name" /text:state | Out-String).Trim()
      [pscustomobject]@{
        Name = $name; Before = $before; Action = $verb; State = $after
        RapidFailAt = if ($rapidFail) { ([datetime]$rapidFail.TimeCreated).ToUniversalTime().ToString('o') } else { $null }
      }`,
    ) + " | Select-Object -Property @('Name', 'Before', 'Action', 'State', 'RapidFailAt')",

  'iis-reset':
    REMOTE(
      '@()',
      `      $out = & "$env:windir\\System32\\iisreset.exe" /noforce 2>&1 | Out-String
      [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $out.Trim() }`,
    ) + " | Select-Object -Property @('ExitCode', 'Output')",

  'restart-server':
    REMOTE(
      '@()',
      `      # shutdown.exe returns at once; Restart-Computer inside the session would break the session under us.
      $out = & "$env:windir\\System32\\shutdown.exe" /r /t 15 /d p:4:1 /c 'Healthbot: approved restart' 2>&1 | Out-String
      [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $out.Trim() }`,
    ) + " | Select-Object -Property @('ExitCode', 'Output')",
} satisfies Partial<Record<ScriptName, string>>;
