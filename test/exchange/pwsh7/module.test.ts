/**
 * The stand-in Exchange module itself: the cmdlets later operations will call have the real
 * parameter sets and refuse what Exchange refuses, and their state follows the lab scenario.
 * One pwsh process runs every check (a script file, so no test text is spliced into a command).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXCHANGE_MODULE, standInExchange } from '../../fixtures/exchange-module/module.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';

const pwsh = pwshPath();

const CHECKS = `
$ErrorActionPreference = 'Stop'
Import-Module -Name $args[0] -Force
$out = [ordered]@{}
function check([string]$name, [scriptblock]$block) {
  try { $out[$name] = @{ ok = $true; value = (& $block) } } catch { $out[$name] = @{ ok = $false; error = [string]$_.FullyQualifiedErrorId; message = [string]$_.Exception.Message } }
}
check 'components' { @(Get-ServerComponentState -Identity SERVER1 -ErrorAction Stop | ForEach-Object { "$($_.Component)=$($_.State)" }) }
check 'set-component' { Set-ServerComponentState -Identity SERVER1 -Component ImapProxy -State Inactive -Requester Maintenance -ErrorAction Stop; $c = Get-ServerComponentState SERVER1 -Component ImapProxy -ErrorAction Stop; "$($c.State) by $($c.LocalStates[0].Requester)" }
check 'bad-state' { Set-ServerComponentState -Identity SERVER1 -Component ImapProxy -State Offline -Requester Maintenance -ErrorAction Stop }
check 'bad-requester' { Set-ServerComponentState -Identity SERVER1 -Component ImapProxy -State Active -Requester Bob -ErrorAction Stop }
check 'missing-requester' { Set-ServerComponentState -Identity SERVER1 -Component ImapProxy -State Active -ErrorAction Stop }
check 'policy' { Set-MailboxServer -Identity MBX1 -DatabaseCopyAutoActivationPolicy Blocked -ErrorAction Stop; [string](Get-MailboxServer MBX1 -ErrorAction Stop).DatabaseCopyAutoActivationPolicy }
check 'bad-policy' { Set-MailboxServer -Identity MBX1 -DatabaseCopyAutoActivationPolicy Sometimes -ErrorAction Stop }
check 'move-server' { @(Move-ActiveMailboxDatabase -Server MBX1 -Confirm:$false -ErrorAction Stop | ForEach-Object { "$($_.Identity) $($_.ActiveServerAtStart)->$($_.ActiveServerAtEnd) $($_.Status)" }) }
check 'move-two-sets' { Move-ActiveMailboxDatabase -Server MBX1 -ActivatePreferredOnServer SERVER1 -Confirm:$false -ErrorAction Stop }
check 'rebalance' { @(Move-ActiveMailboxDatabase -ActivatePreferredOnServer MBX1 -Confirm:$false -ErrorAction Stop | ForEach-Object { "$($_.Identity) $($_.ActiveServerAtEnd) $($_.Status)" }) }
check 'databases' { @(Get-MailboxDatabase -Server SERVER1 -Status -ErrorAction Stop | ForEach-Object { "$($_.Name) mounted=$($_.Mounted)" }) }
check 'dc' { (Get-ExchangeServer -Identity server1.contoso.com -Status -ErrorAction Stop).CurrentDomainControllers }
check 'monitoring-mailboxes' { @(Get-Mailbox -Monitoring -Server MBX1 -ErrorAction Stop | ForEach-Object { "$($_.DisplayName) on $($_.Database)" }) }
check 'service-health' { @(Test-ServiceHealth -Server MBX1 -ErrorAction Stop | ForEach-Object { "$($_.Role) $($_.RequiredServicesRunning)" }) }
check 'health-report' { @(Get-HealthReport -Identity SERVER1 -HealthSet IMAP -ErrorAction Stop | ForEach-Object { "$($_.HealthSet) $($_.AlertValue)" }) }
check 'item-identity' { @(Get-MonitoringItemIdentity -Identity IMAP -Server SERVER1 -ErrorAction Stop | Where-Object ItemType -eq 'Probe' | ForEach-Object Identity) }
check 'unknown-server' { Get-ServerHealth -Identity NOPE -ErrorAction Stop }
check 'redirect' { Redirect-Message -Server SERVER2 -Target server1.contoso.com -Confirm:$false -ErrorAction Stop; 'done' }
check 'redirect-needs-target' { Get-Command Redirect-Message | ForEach-Object { $_.Parameters['Target'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | ForEach-Object Mandatory } }
check 'redirect-unknown-target' { Redirect-Message -Server SERVER2 -Target nope.contoso.com -Confirm:$false -ErrorAction Stop }
check 'concurrent-pipeline' { Get-MailboxServer -ErrorAction Stop | ForEach-Object { Get-ServerComponentState -Identity $_.Name -ErrorAction Stop } }
check 'collected-first' { $all = @(Get-MailboxServer -ErrorAction Stop); @($all | ForEach-Object { Get-ServerComponentState -Identity $_.Name -Component ServerWideOffline -ErrorAction Stop }).Count }
check 'probe-needs-server' { Get-Command Invoke-MonitoringProbe | ForEach-Object { $_.Parameters['Server'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | ForEach-Object Mandatory } }
[Console]::Out.WriteLine((ConvertTo-Json -InputObject $out -Depth 6 -Compress))
`;

type Result = { ok: boolean; value?: unknown; error?: string; message?: string };
/** ConvertTo-Json writes a one-item list as the item. */
const list = (v: unknown) => [v].flat();

describe('the stand-in Exchange module', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  it('has the real parameter sets, refuses what Exchange refuses, and plays the lab scenario', async () => {
    const exchange = await standInExchange('imap-backend-hang');
    const file = join(exchange.dir, 'checks.ps1');
    writeFileSync(file, CHECKS);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        pwsh,
        ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file, EXCHANGE_MODULE],
        { env: exchange.env },
        (err, out, errText) => (err ? reject(new Error(`${err.message}\n${errText}`)) : resolve(out)),
      ),
    );
    const r = JSON.parse(stdout.slice(stdout.indexOf('{'))) as Record<string, Result>;
    expect(list(r.components?.value)).toContain('ServerWideOffline=Active');
    expect(r['set-component']?.value).toBe('Inactive by Maintenance');
    expect(r['bad-state']).toMatchObject({
      ok: false,
      error: expect.stringContaining('ParameterArgumentValidationError'),
    });
    expect(r['bad-requester']).toMatchObject({
      ok: false,
      error: expect.stringContaining('ParameterArgumentValidationError'),
    });
    expect(r['missing-requester']).toMatchObject({ ok: false });
    expect(r.policy?.value).toBe('Blocked');
    expect(r['bad-policy']).toMatchObject({
      ok: false,
      error: expect.stringContaining('ParameterArgumentValidationError'),
    });
    // DB01 is active on MBX1 with its other copy on SERVER1 (the lab's organisation).
    expect(list(r['move-server']?.value)).toEqual(['DB01 MBX1->SERVER1 Succeeded']);
    expect(r['move-two-sets']).toMatchObject({ ok: false, error: expect.stringContaining('AmbiguousParameterSet') });
    expect(list(r.rebalance?.value)).toEqual(['DB01 MBX1 Succeeded']);
    // Mounted: on its active server, wherever that is (DB01 is back on MBX1 after the rebalance).
    expect(list(r.databases?.value)).toEqual(['DB01 mounted=True', 'DB02 mounted=True']);
    expect(list(r.dc?.value)).toEqual(['dc1.contoso.com', 'dc2.contoso.com']);
    expect(list(r['monitoring-mailboxes']?.value)).toEqual([
      'HealthMailbox-SERVER1-001 on DB01',
      'HealthMailbox-MBX1-001 on DB01',
    ]);
    expect(list(r['service-health']?.value)).toEqual(['Mailbox Server Role True']);
    expect(list(r['health-report']?.value)).toEqual(['IMAP Unhealthy']);
    expect(list(r['item-identity']?.value)).toEqual(['IMAP\\ImapCTPProbe\\IMAP']);
    expect(r['unknown-server']).toMatchObject({
      ok: false,
      message: expect.stringContaining("'NOPE' couldn't be found"),
    });
    expect(r['probe-needs-server']?.value).toBe(true);
    // Implicit remoting runs one pipeline at a time in the session.
    expect(r['concurrent-pipeline']).toMatchObject({
      ok: false,
      message: expect.stringContaining('Pipelines cannot be executed concurrently'),
    });
    expect(r['collected-first']?.value).toBe(3);
    expect(r.redirect?.value).toBe('done');
    expect(r['redirect-needs-target']?.value).toBe(true);
    expect(r['redirect-unknown-target']).toMatchObject({
      ok: false,
      message: expect.stringContaining("'nope.contoso.com' isn't a Mailbox server"),
    });
    expect(exchange.canary()).toEqual([]);
  }, 60_000);
});
