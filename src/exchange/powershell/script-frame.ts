/**
 * The frame every fixed script shares: decode the values, run the body with warnings captured,
 * print one JSON envelope. The rules the bodies follow are in scripts.ts.
 */
/** Decodes the values, runs the body with warnings captured, and prints the envelope. */
export const PROLOGUE = `param([string]$HbValues)
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

export const EPILOGUE = `  } 3>&1)
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
export const REMOTE = (args: string, block: string) => `$r = $global:HbRemoting
    Invoke-Command -ComputerName $p.fqdn @r -ErrorAction Stop -ArgumentList ${args} -ScriptBlock {
${block}
    }`;
