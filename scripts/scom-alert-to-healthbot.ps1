<#
.SYNOPSIS
  Sends a SCOM alert to Healthbot's webhook (POST /api/alerts). Meant for a SCOM command
  notification channel, so the Exchange management pack's alerts reach the incident channel with
  a verified diagnosis.

.DESCRIPTION
  Set up in the Operations console: Administration > Notifications > Channels > New > Command.
    Full path of the command file:  C:\Program Files\PowerShell\7\pwsh.exe
                                    (or C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe)
    Command line parameters:
      -NoProfile -ExecutionPolicy Bypass -File "C:\Healthbot\scom-alert-to-healthbot.ps1"
      -AlertId "$Data[Default='']/Context/DataItem/AlertId$"
      -AlertName "$Data[Default='']/Context/DataItem/AlertName$"
      -AlertDescription "$Data[Default='']/Context/DataItem/AlertDescription$"
      -ResolutionState "$Data[Default='0']/Context/DataItem/ResolutionState$"
      -NetbiosComputerName "$Data[Default='']/Context/DataItem/ManagedEntityNetbiosComputerName$"
      -PrincipalName "$Data[Default='']/Context/DataItem/ManagedEntityPath$"
      -MonitoringObjectName "$Data[Default='']/Context/DataItem/ManagedEntityDisplayName$"
      -TimeRaised "$Data[Default='']/Context/DataItem/TimeRaisedUTC$"
      -LastModified "$Data[Default='']/Context/DataItem/LastModifiedUTC$"
    Startup folder: C:\Healthbot
  Then a subscriber for the channel, and a subscription for the Exchange management pack's alerts
  (new and closed: a closed alert, resolution state 255, clears the incident's card).

  The secret is never on the command line (SCOM keeps command lines in its database): it is read
  from the HEALTHBOT_ALERT_TOKEN or HEALTHBOT_ALERT_HMAC_SECRET environment variable of the
  notification account, or from the file named by -SecretFile (readable by that account only).

  With a bearer token the request carries "Authorization: Bearer <token>". With an HMAC secret it
  carries "X-Healthbot-Timestamp: <unix seconds>" and
  "X-Healthbot-Signature: sha256=<hex HMAC-SHA256 of '<timestamp>.<body>'>"; Healthbot refuses
  signatures older than five minutes, so a captured request cannot be replayed later.

.EXAMPLE
  .\scom-alert-to-healthbot.ps1 -Url https://healthbot.contoso.com/api/alerts -AlertId 8e0c... `
    -AlertName "IMAP health set unhealthy" -NetbiosComputerName SERVER1 -MonitoringObjectName IMAP
#>
[CmdletBinding()]
param(
  [string] $Url = $(if ($env:HEALTHBOT_ALERT_URL) { $env:HEALTHBOT_ALERT_URL } else { 'http://localhost:3000/api/alerts' }),
  [Parameter(Mandatory)] [string] $AlertId,
  [string] $AlertName = '',
  [string] $AlertDescription = '',
  [string] $ResolutionState = '0',
  [string] $NetbiosComputerName = '',
  [string] $PrincipalName = '',
  [string] $MonitoringObjectName = '',
  [string] $TimeRaised = '',
  [string] $LastModified = '',
  [string] $SecretFile = '',
  [ValidateSet('bearer', 'hmac')] [string] $Mode = $(if ($env:HEALTHBOT_ALERT_HMAC_SECRET) { 'hmac' } else { 'bearer' }),
  [int] $TimeoutSeconds = 10
)
$ErrorActionPreference = 'Stop'

$secret = if ($SecretFile) { (Get-Content -Raw -LiteralPath $SecretFile).Trim() }
          elseif ($Mode -eq 'hmac') { $env:HEALTHBOT_ALERT_HMAC_SECRET }
          else { $env:HEALTHBOT_ALERT_TOKEN }
if (-not $secret) { throw 'No secret: set HEALTHBOT_ALERT_TOKEN (or HEALTHBOT_ALERT_HMAC_SECRET with -Mode hmac), or pass -SecretFile.' }

# The names match what Healthbot's SCOM reader expects (src/core/alerts/parse-json.ts, parseScom).
$payload = [ordered]@{
  AlertId              = $AlertId
  AlertName            = $AlertName
  AlertDescription     = $AlertDescription
  ResolutionState      = $ResolutionState
  NetbiosComputerName  = $NetbiosComputerName
  PrincipalName        = $PrincipalName
  MonitoringObjectName = $MonitoringObjectName
  TimeRaised           = $TimeRaised
  LastModified         = $LastModified
}
if ($ResolutionState -eq '255') { $payload.TimeResolved = $LastModified }
$body = $payload | ConvertTo-Json -Compress
$bytes = [System.Text.Encoding]::UTF8.GetBytes($body)

$headers = @{}
if ($Mode -eq 'hmac') {
  $timestamp = [string][DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
  $hmac = [System.Security.Cryptography.HMACSHA256]::new([System.Text.Encoding]::UTF8.GetBytes($secret))
  try {
    $signed = [System.Text.Encoding]::UTF8.GetBytes("$timestamp.$body")
    $hex = -join ($hmac.ComputeHash($signed) | ForEach-Object { $_.ToString('x2') })
  } finally { $hmac.Dispose() }
  $headers['X-Healthbot-Timestamp'] = $timestamp
  $headers['X-Healthbot-Signature'] = "sha256=$hex"
} else {
  $headers['Authorization'] = "Bearer $secret"
}

# A few tries: the bot acknowledges in milliseconds, so a failure is a restart or a network blip.
# A retry is safe: the alert id and resolution state make a redelivery count once.
for ($try = 1; $try -le 3; $try++) {
  try {
    Invoke-RestMethod -Method Post -Uri $Url -Headers $headers -ContentType 'application/json; charset=utf-8' -Body $bytes -TimeoutSec $TimeoutSeconds | Out-Null
    exit 0
  } catch {
    $status = $_.Exception.Response.StatusCode.value__
    # 400, 401, 413: the request itself is wrong, and sending it again will not help.
    if ($status -and $status -ge 400 -and $status -lt 500) { Write-Error "Healthbot refused the alert ($status): $($_.ErrorDetails.Message)"; exit 2 }
    if ($try -eq 3) { Write-Error "Healthbot did not take the alert: $($_.Exception.Message)"; exit 1 }
    Start-Sleep -Seconds (2 * $try)
  }
}
