/**
 * Scripts the gateway needs for itself: connecting (to Exchange or the stand-in module), checks, inventory, doctor, disconnect.
 */
import type { ScriptName } from './scripts.ts';
import { REMOTE } from './script-frame.ts';

export const GATEWAY_BODIES = {
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
} satisfies Partial<Record<ScriptName, string>>;
