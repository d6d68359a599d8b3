/**
 * Operations that run Exchange cmdlets through the session (reads and writes of Exchange configuration and health).
 */
import type { ScriptName } from './scripts.ts';

export const EXCHANGE_BODIES = {
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
    $previousMoveNow = $null
    if ($moveNow) {
      # Maintenance also blocks automatic activation; the policy found now is what the put-back restores.
      $found = Get-MailboxServer -Identity $p.server -ErrorAction Stop
      $previous = [string]$found.DatabaseCopyAutoActivationPolicy
      $previousMoveNow = [bool]$found.DatabaseCopyActivationDisabledAndMoveNow
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
    [pscustomobject]@{ Mode = [string]$p.mode; PreviousPolicy = $previous; PreviousDisabledAndMoveNow = $previousMoveNow; StillActive = @($report) }`,

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
} satisfies Partial<Record<ScriptName, string>>;
