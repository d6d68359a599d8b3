/**
 * The fixed PowerShell scripts: one per operation of the catalogue, plus the few the gateway
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
import type { OperationKind } from '../../core/index.ts';

export type GatewayScript = 'connect' | 'connect-stand-in' | 'check' | 'inventory' | 'disconnect' | 'version' | 'permissions' | 'remote-check';
export type ScriptName = OperationKind | GatewayScript;

/** Decodes the values, runs the body with warnings captured, and prints the envelope. */
const PROLOGUE = `param([string]$HbValues)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
function hbDate($v) {
  # Dates cross the remote session as DateTime or as text, depending on the build; send ISO UTC.
  if ($null -eq $v -or '' -eq $v) { return $null }
  try { return ([datetime]$v).ToUniversalTime().ToString('o') } catch { return [string]$v }
}
$hbOut = [ordered]@{ healthbot = 1; ok = $true; data = @(); warnings = @() }
try {
  $hbJson = @{ InputObject = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($HbValues)) }
  # ConvertFrom-Json turns date-shaped text into a DateTime; a value must arrive as sent (pwsh 7.5+).
  if ((Get-Command -Name ConvertFrom-Json).Parameters.ContainsKey('DateKind')) { $hbJson.DateKind = 'String' }
  $p = ConvertFrom-Json @hbJson
  $hbAll = @(& {`;

const EPILOGUE = `  } 3>&1)
  $hbOut.warnings = @($hbAll | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { [string]$_.Message })
  $hbOut.data = @($hbAll | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })
} catch {
  $e = $_
  $hbOut.ok = $false
  $hbOut.error = [ordered]@{
    message = [string]$e.Exception.Message
    category = [string]$e.CategoryInfo.Category
    reason = [string]$e.CategoryInfo.Reason
    id = [string]$e.FullyQualifiedErrorId
    type = [string]$e.Exception.GetType().FullName
  }
}
[Console]::Out.WriteLine((ConvertTo-Json -InputObject $hbOut -Depth 8 -Compress))`;

/** Runs a script block on the target server with the session's remoting settings. */
const REMOTE = (args: string, block: string) => `$r = $global:HbRemoting
    Invoke-Command -ComputerName $p.fqdn @r -ErrorAction Stop -ArgumentList ${args} -ScriptBlock {
${block}
    }`;

const BODIES: Record<ScriptName, string> = {
  connect: `# Server-side limits: a shell we kill cannot leave its runspace on Exchange for hours.
    # (New-PSSessionOption has no timeout parameters in pwsh on Linux; the option object has them everywhere.)
    $options = [System.Management.Automation.Remoting.PSSessionOption]::new()
    $options.IdleTimeout = [timespan]::FromMilliseconds([double]$p.idleTimeoutMs)
    $options.OperationTimeout = [timespan]::FromMilliseconds([double]$p.operationTimeoutMs)
    $session = @{ ConfigurationName = 'Microsoft.Exchange'; ConnectionUri = $p.uri; Authentication = $p.authentication; SessionOption = $options }
    # WinRM to the servers' OS has its own setting (Kerberos or Negotiate on 5985): Basic is never reused there.
    $remoting = @{ Authentication = $p.remotingAuthentication }
    if ($p.username) {
      $secure = ConvertTo-SecureString -String $p.password -AsPlainText -Force
      $credential = New-Object System.Management.Automation.PSCredential($p.username, $secure)
      $session.Credential = $credential
      $remoting.Credential = $credential
    }
    # A session left by an earlier connect in this shell would hold one of the user's session slots.
    Get-PSSession | Where-Object { $_.ConfigurationName -eq 'Microsoft.Exchange' } | Remove-PSSession
    $s = New-PSSession @session -ErrorAction Stop
    # Import only the cmdlets the catalogue uses: faster, and nothing else is callable here.
    $null = Import-PSSession -Session $s -CommandName @($p.commands) -DisableNameChecking -AllowClobber -ErrorAction Stop
    $global:HbSession = $s
    $global:HbRemoting = $remoting
    [pscustomobject]@{ PSVersion = $PSVersionTable.PSVersion.ToString(); ComputerName = [string]$s.ComputerName }`,

  // Tests only (PowerShellGatewayOptions.standInModule): the stand-in Exchange cmdlets instead of a remote session.
  'connect-stand-in': `Import-Module -Name $p.module -Force -Global -DisableNameChecking -ErrorAction Stop
    $global:HbSession = Get-HbStandInSession -ConnectionUri $p.uri -ErrorAction Stop
    $global:HbRemoting = @{ Authentication = $p.remotingAuthentication }
    [pscustomobject]@{ PSVersion = $PSVersionTable.PSVersion.ToString(); ComputerName = [string]$global:HbSession.ComputerName }`,

  check: `$s = $global:HbSession
    [pscustomobject]@{
      State = if ($s) { [string]$s.State } else { 'None' }
      Availability = if ($s) { [string]$s.Availability } else { 'None' }
    }`,

  disconnect: `if ($global:HbSession) { Remove-PSSession -Session $global:HbSession -ErrorAction SilentlyContinue }
    $global:HbSession = $null
    [pscustomobject]@{ Removed = $true }`,

  inventory: `Get-ExchangeServer -ErrorAction Stop | Select-Object -Property @('Name', 'Fqdn',
      @{ n = 'ServerRole'; e = { [string]$_.ServerRole } }, 'IsMailboxServer', 'IsClientAccessServer',
      @{ n = 'Site'; e = { [string]$_.Site } }, @{ n = 'AdminDisplayVersion'; e = { [string]$_.AdminDisplayVersion } })`,

  version: `[pscustomobject]@{
      PSVersion = $PSVersionTable.PSVersion.ToString()
      Edition = [string]$PSVersionTable.PSEdition
      OS = [string]$PSVersionTable.OS
      # WSMan remoting from Linux or macOS needs the community PSWSMan module.
      WSMan = if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'native' } elseif (Get-Module -ListAvailable -Name PSWSMan) { 'PSWSMan' } else { 'missing' }
    }`,

  permissions: `# The session imports only what RBAC grants this account, so Get-Command is the answer.
    Get-Command -Name @($p.commands) -ErrorAction SilentlyContinue | Select-Object -Property @('Name',
      @{ n = 'Parameters'; e = { @($_.Parameters.Keys) } })`,

  'remote-check': REMOTE(
    '@()',
    `      $principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
      [pscustomobject]@{ Computer = $env:COMPUTERNAME; Admin = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator) }`,
  ),

  'get-server-health': `$sets = @($p.healthSets | Where-Object { $_ })
    # One call per health set: Exchange filters on the server rather than sending every monitor.
    $rows = if ($sets.Count -eq 0) { Get-ServerHealth -Identity $p.server -ErrorAction Stop } else { foreach ($set in $sets) { Get-ServerHealth -Identity $p.server -HealthSet $set -ErrorAction Stop } }
    $rows | Select-Object -Property @('Server', 'Name', 'TargetResource', 'HealthSetName', 'HealthSet',
      @{ n = 'AlertValue'; e = { [string]$_.AlertValue } }, @{ n = 'CurrentHealthSetState'; e = { [string]$_.CurrentHealthSetState } },
      @{ n = 'FirstAlertObservedTime'; e = { hbDate $_.FirstAlertObservedTime } }, @{ n = 'LastTransitionTime'; e = { hbDate $_.LastTransitionTime } }, 'Error')`,

  'invoke-probe': `# <HealthSet>\\<Probe>[\\<TargetResource>]: the monitor's target resource picks the probe instance.
    $identity = $p.healthSet + '\\' + $p.probe
    if ($p.targetResource) { $identity = $identity + '\\' + $p.targetResource }
    # The probe gives up before the bot does, so its own timeout comes back as a result, not a killed shell.
    Invoke-MonitoringProbe -Identity $identity -Server $p.server -TimeOutSeconds ([string]$p.timeoutSeconds) -ErrorAction Stop | Select-Object -Property @(@{ n = 'ResultType'; e = { [string]$_.ResultType } }, 'Error', 'Exception',
      @{ n = 'ExecutionStartTime'; e = { hbDate $_.ExecutionStartTime } }, @{ n = 'ExecutionEndTime'; e = { hbDate $_.ExecutionEndTime } }, 'MonitorIdentity', 'ResultName')`,

  'get-database-copy-status': `Get-MailboxDatabaseCopyStatus -Server $p.server -ErrorAction Stop | Select-Object -Property @('Name', 'DatabaseName', 'MailboxServer',
      @{ n = 'Status'; e = { [string]$_.Status } }, 'ActivationPreference', 'CopyQueueLength', 'ReplayQueueLength',
      @{ n = 'ContentIndexState'; e = { [string]$_.ContentIndexState } }, @{ n = 'ActiveDatabaseCopy'; e = { [string]$_.ActiveDatabaseCopy } },
      @{ n = 'LastInspectedLogTime'; e = { hbDate $_.LastInspectedLogTime } })`,

  'set-database-activation': `$moveNow = $p.mode -eq 'move-now'
    $previous = $null
    if ($moveNow) {
      # Maintenance also blocks automatic activation; the policy found now is what the put-back restores.
      $previous = [string](Get-MailboxServer -Identity $p.server -ErrorAction Stop).DatabaseCopyAutoActivationPolicy
      Set-MailboxServer -Identity $p.server -DatabaseCopyActivationDisabledAndMoveNow $true -DatabaseCopyAutoActivationPolicy 'Blocked' -ErrorAction Stop
    } elseif ($p.restorePolicy) {
      Set-MailboxServer -Identity $p.server -DatabaseCopyActivationDisabledAndMoveNow $false -DatabaseCopyAutoActivationPolicy ([string]$p.restorePolicy) -ErrorAction Stop
    } else {
      Set-MailboxServer -Identity $p.server -DatabaseCopyActivationDisabledAndMoveNow $false -ErrorAction Stop
    }
    # A copy that is mounting or dismounting is as active as a mounted one.
    $activeStates = @('Mounted', 'Mounting', 'Dismounting')
    $still = @()
    if ($moveNow) {
      # Active Manager moves the active copies in the background: wait for it, for a bounded time.
      $deadline = (Get-Date).AddSeconds([int]$p.waitSeconds)
      do {
        $still = @(Get-MailboxDatabaseCopyStatus -Server $p.server -ErrorAction Stop | Where-Object { [string]$_.Status -in $activeStates })
        if ($still.Count -eq 0 -or (Get-Date).AddSeconds(5) -gt $deadline) { break }
        Start-Sleep -Seconds 5
      } while ($true)
    }
    # For each database still active here: is there a healthy copy it can still move to (a move
    # under way), or none (it will not move)?
    $report = foreach ($copy in $still) {
      $db = [string]$copy.DatabaseName
      $others = @(Get-MailboxDatabaseCopyStatus -Identity $db -ErrorAction Stop | Where-Object { [string]$_.MailboxServer -ne [string]$copy.MailboxServer })
      # A healthy copy on a server that is itself blocked from activation is nowhere to go.
      $healthy = @($others | Where-Object { [string]$_.Status -eq 'Healthy' } | Where-Object {
        $target = Get-MailboxServer -Identity ([string]$_.MailboxServer) -ErrorAction Stop
        -not $target.DatabaseCopyActivationDisabledAndMoveNow -and [string]$target.DatabaseCopyAutoActivationPolicy -ne 'Blocked'
      })
      [pscustomobject]@{
        Database = $db
        Status = [string]$copy.Status
        MoveUnderWay = ([string]$copy.Status -ne 'Mounted') -or $healthy.Count -gt 0
        OtherCopies = @($others | ForEach-Object { '{0} {1}' -f [string]$_.Name, [string]$_.Status })
      }
    }
    [pscustomobject]@{ Mode = [string]$p.mode; PreviousPolicy = $previous; StillActive = @($report) }`,

  'get-protocol-logging': `if ($p.protocol -eq 'imap') { $s = Get-ImapSettings -Server $p.server -ErrorAction Stop } else { $s = Get-PopSettings -Server $p.server -ErrorAction Stop }
    $s | Select-Object -Property @('ProtocolLogEnabled', 'LogFileLocation')`,

  'set-protocol-logging': `$on = [bool]$p.enabled
    if ($p.protocol -eq 'imap') {
      Set-ImapSettings -Server $p.server -ProtocolLogEnabled $on -ErrorAction Stop
      $s = Get-ImapSettings -Server $p.server -ErrorAction Stop
    } else {
      Set-PopSettings -Server $p.server -ProtocolLogEnabled $on -ErrorAction Stop
      $s = Get-PopSettings -Server $p.server -ErrorAction Stop
    }
    $s | Select-Object -Property @('ProtocolLogEnabled', 'LogFileLocation')`,

  'get-service': REMOTE(
    '$p.service',
    `      param($name)
      $ErrorActionPreference = 'Stop'
      Get-Service -Name $name | Select-Object -Property @('Name', 'DisplayName', @{ n = 'Status'; e = { [string]$_.Status } }, @{ n = 'StartType'; e = { [string]$_.StartType } })`,
  ) + " | Select-Object -Property @('Name', 'DisplayName', 'Status', 'StartType')",

  'restart-service': REMOTE(
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

  'get-app-pool': REMOTE(
    '$p.appPool',
    `      param($name)
      $ErrorActionPreference = 'Stop'
      # appcmd.exe comes with IIS; the WebAdministration module is not always there.
      $appcmd = "$env:windir\\System32\\inetsrv\\appcmd.exe"
      $state = (& $appcmd list apppool "/apppool.name:$name" /text:state | Out-String).Trim()
      if ($LASTEXITCODE -ne 0) { throw "appcmd could not read application pool $($name): $state" }
      [pscustomobject]@{ Name = $name; State = $state }`,
  ) + " | Select-Object -Property @('Name', 'State')",

  'recycle-app-pool': REMOTE(
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

  'iis-reset': REMOTE(
    '@()',
    `      $out = & "$env:windir\\System32\\iisreset.exe" /noforce 2>&1 | Out-String
      [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $out.Trim() }`,
  ) + " | Select-Object -Property @('ExitCode', 'Output')",

  'restart-server': REMOTE(
    '@()',
    `      # shutdown.exe returns at once; Restart-Computer inside the session would break the session under us.
      $out = & "$env:windir\\System32\\shutdown.exe" /r /t 15 /d p:4:1 /c 'Healthbot: approved restart' 2>&1 | Out-String
      [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $out.Trim() }`,
  ) + " | Select-Object -Property @('ExitCode', 'Output')",

  // What a Mailbox server restart depends on. Only real names reach -Identity: a $null there
  // would return every object in the organisation.
  'get-restart-readiness': `$me = Get-MailboxServer -Identity $p.server -ErrorAction Stop
    # No answer is not "no DAG": a restart must not look free of DAG concerns because nothing came back.
    if ($null -eq $me) { throw "Exchange returned no mailbox server settings for $($p.server)" }
    $dag = [string]$me.DatabaseAvailabilityGroup
    $members = @()
    if ($dag) {
      # Collected before the loop: implicit remoting runs one pipeline at a time, so an Exchange
      # cmdlet inside ForEach-Object on another's output fails while that one is still sending.
      $servers = @(Get-MailboxServer -ErrorAction Stop)
      $members = @($servers | Where-Object { [string]$_.DatabaseAvailabilityGroup -eq $dag -and [string]$_.Name -ne [string]$me.Name } | ForEach-Object {
        $offline = Get-ServerComponentState -Identity ([string]$_.Name) -Component 'ServerWideOffline' -ErrorAction Stop
        [pscustomobject]@{
          Name = [string]$_.Name
          DatabaseCopyAutoActivationPolicy = [string]$_.DatabaseCopyAutoActivationPolicy
          DatabaseCopyActivationDisabledAndMoveNow = [bool]$_.DatabaseCopyActivationDisabledAndMoveNow
          ServerWideOffline = [string]$offline.State
        }
      })
    }
    $names = @(Get-MailboxDatabaseCopyStatus -Server $p.server -ErrorAction Stop | ForEach-Object { [string]$_.DatabaseName } | Where-Object { $_ } | Select-Object -Unique)
    $copies = @(foreach ($db in $names) {
      Get-MailboxDatabaseCopyStatus -Identity $db -ErrorAction Stop | Select-Object -Property @('Name', 'DatabaseName', 'MailboxServer',
        @{ n = 'Status'; e = { [string]$_.Status } }, 'ActivationPreference', 'CopyQueueLength', 'ReplayQueueLength',
        @{ n = 'ContentIndexState'; e = { [string]$_.ContentIndexState } })
    })
    [pscustomobject]@{ Dag = $dag; Members = $members; Copies = $copies }`,

  // Boot time from the operating system (WinRM), components and required services from Exchange.
  'get-server-state': `$r = $global:HbRemoting
    $os = Invoke-Command -ComputerName $p.fqdn @r -ErrorAction Stop -ScriptBlock {
      $ErrorActionPreference = 'Stop'
      [pscustomobject]@{ LastBootUpTime = (Get-CimInstance -ClassName Win32_OperatingSystem).LastBootUpTime }
    }
    $components = @(Get-ServerComponentState -Identity $p.server -ErrorAction Stop | ForEach-Object {
      $c = $_
      [pscustomobject]@{
        Component = [string]$c.Component
        State = [string]$c.State
        # Exchange keeps a requester's say twice, in the registry (LocalStates) and in AD (RemoteStates):
        # each requester once, the newer of the two.
        Requesters = @(@($c.LocalStates) + @($c.RemoteStates) | Where-Object { $_ } | ForEach-Object {
          [pscustomobject]@{ Requester = [string]$_.Requester; State = [string]$_.State; Timestamp = hbDate $_.Timestamp }
        } | Sort-Object -Property { [string]$_.Timestamp } -Descending | Group-Object -Property Requester | ForEach-Object { $_.Group[0] })
      }
    })
    # One row per role: a service two roles need is named in each, and is listed here once.
    $health = @(Test-ServiceHealth -Server $p.server -ErrorAction Stop)
    $notRunning = @($health | ForEach-Object { @($_.ServicesNotRunning) } | Where-Object { $_ } | ForEach-Object { [string]$_ } | Select-Object -Unique)
    $activation = $null
    if ($p.mailbox) {
      $m = Get-MailboxServer -Identity $p.server -ErrorAction Stop
      $activation = [pscustomobject]@{
        DatabaseCopyAutoActivationPolicy = [string]$m.DatabaseCopyAutoActivationPolicy
        DatabaseCopyActivationDisabledAndMoveNow = [bool]$m.DatabaseCopyActivationDisabledAndMoveNow
      }
    }
    # How many role rows came back: none means the services were not read, not that all run.
    [pscustomobject]@{ LastBootUpTime = hbDate $os.LastBootUpTime; Components = $components; ServiceHealthRows = $health.Count; ServicesNotRunning = $notRunning; Activation = $activation }`,

  // The health mailboxes this server's probes use (named HealthMailbox-<server>-NNN), and every
  // copy of their databases: a probe fails when its mailbox's database is not mounted anywhere.
  'get-monitoring-mailboxes': `# The name is a value, not a pattern: wildcard characters in it match only themselves.
    $pattern = 'HealthMailbox-' + [WildcardPattern]::Escape([string]$p.server) + '-*'
    $boxes = @(Get-Mailbox -Monitoring -ResultSize Unlimited -ErrorAction Stop | Where-Object { [string]$_.DisplayName -like $pattern } | ForEach-Object {
      [pscustomobject]@{ Name = [string]$_.Name; Database = [string]$_.Database }
    })
    $dbs = @($boxes | ForEach-Object { $_.Database } | Where-Object { $_ } | Select-Object -Unique)
    $copies = @(foreach ($db in $dbs) {
      Get-MailboxDatabaseCopyStatus -Identity $db -ErrorAction Stop | Select-Object -Property @('Name', 'DatabaseName', 'MailboxServer',
        @{ n = 'Status'; e = { [string]$_.Status } }, 'ActivationPreference')
    })
    [pscustomobject]@{ Mailboxes = $boxes; Copies = $copies }`,

  'get-directory-servers': `Get-ExchangeServer -Identity $p.server -Status -ErrorAction Stop | Select-Object -Property @(
      @{ n = 'CurrentDomainControllers'; e = { @($_.CurrentDomainControllers | ForEach-Object { [string]$_ }) } },
      @{ n = 'CurrentGlobalCatalogs'; e = { @($_.CurrentGlobalCatalogs | ForEach-Object { [string]$_ }) } })`,

  // Messages queued on a draining server go to another Mailbox server (an inventory FQDN).
  'redirect-messages': `Redirect-Message -Server $p.server -Target $p.target -Confirm:$false -ErrorAction Stop
    [pscustomobject]@{ Target = [string]$p.target }`,

  'set-server-component-state': `Set-ServerComponentState -Identity $p.server -Component $p.component -State $p.state -Requester $p.requester -ErrorAction Stop
    Get-ServerComponentState -Identity $p.server -Component $p.component -ErrorAction Stop | Select-Object -Property @(
      @{ n = 'Component'; e = { [string]$_.Component } }, @{ n = 'State'; e = { [string]$_.State } })`,
};

/** The marker on a script's first line: how logs and the stand-in pwsh tell scripts apart. */
export const SCRIPT_MARKER = '# healthbot-script: ';

const compose = (name: ScriptName) => `${SCRIPT_MARKER}${name}\n${PROLOGUE}\n    ${BODIES[name]}\n${EPILOGUE}\n`;

export const SCRIPTS: Readonly<Record<ScriptName, string>> = Object.fromEntries(
  (Object.keys(BODIES) as ScriptName[]).map((name) => [name, compose(name)]),
) as Record<ScriptName, string>;

/** Exchange cmdlets (and the parameters beyond Identity/Server) each operation needs from RBAC. */
export const EXCHANGE_NEEDS: Readonly<Partial<Record<ScriptName, readonly { cmdlet: string; parameters?: readonly string[] }[]>>> = {
  inventory: [{ cmdlet: 'Get-ExchangeServer' }],
  'get-server-health': [{ cmdlet: 'Get-ServerHealth' }],
  'invoke-probe': [{ cmdlet: 'Invoke-MonitoringProbe' }],
  'get-database-copy-status': [{ cmdlet: 'Get-MailboxDatabaseCopyStatus' }],
  'set-database-activation': [
    { cmdlet: 'Set-MailboxServer', parameters: ['DatabaseCopyActivationDisabledAndMoveNow', 'DatabaseCopyAutoActivationPolicy'] },
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
  'get-restart-readiness': [{ cmdlet: 'Get-MailboxServer' }, { cmdlet: 'Get-ServerComponentState' }, { cmdlet: 'Get-MailboxDatabaseCopyStatus' }],
  'get-server-state': [{ cmdlet: 'Get-ServerComponentState' }, { cmdlet: 'Test-ServiceHealth' }, { cmdlet: 'Get-MailboxServer' }],
  'redirect-messages': [{ cmdlet: 'Redirect-Message', parameters: ['Target'] }],
  'get-monitoring-mailboxes': [{ cmdlet: 'Get-Mailbox', parameters: ['Monitoring'] }, { cmdlet: 'Get-MailboxDatabaseCopyStatus' }],
  'get-directory-servers': [{ cmdlet: 'Get-ExchangeServer', parameters: ['Status'] }],
  'set-server-component-state': [
    { cmdlet: 'Set-ServerComponentState', parameters: ['Component', 'State', 'Requester'] },
    { cmdlet: 'Get-ServerComponentState' },
  ],
};

/** Every Exchange cmdlet the gateway uses: what the connect script imports and doctor checks. */
export const EXCHANGE_CMDLETS: readonly string[] = [...new Set(Object.values(EXCHANGE_NEEDS).flatMap((needs) => needs!.map((n) => n.cmdlet)))].sort();

/** Operations that reach the target server's OS through WinRM rather than Exchange RBAC. */
export const REMOTE_OS_OPERATIONS: readonly OperationKind[] = ['get-service', 'restart-service', 'get-app-pool', 'recycle-app-pool', 'iis-reset', 'restart-server', 'get-server-state'];
