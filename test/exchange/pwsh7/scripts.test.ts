/**
 * The fixed scripts against the cmdlet pages, in a real PowerShell 7 with the stand-in module:
 * the corrections from the review of the scripts (issue 12), each checked on what the stand-in
 * cmdlets received or returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callScript } from '../../../src/exchange/powershell/call.ts';
import { openSession } from '../../../src/exchange/powershell/session.ts';
import type { PwshShell } from '../../../src/exchange/powershell/shell.ts';
import { EXCHANGE_CMDLETS } from '../../../src/exchange/powershell/scripts.ts';
import type { StandInExchange } from '../../fixtures/exchange-module/module.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { ENDPOINTS, onModule, openModuleShell } from './helpers.ts';
import { unsaid } from '../../support/outcome.ts';

const pwsh = pwshPath();
type Copy = { DatabaseName: string; MailboxServer: string; Status: string; CopyQueueLength: number };

describe('the fixed scripts, checked against the cmdlet pages in a real PowerShell 7', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }
  let exchange: StandInExchange;
  let shell: PwshShell;
  beforeAll(async () => {
    ({ exchange, shell } = await openModuleShell(pwsh));
  });
  afterAll(async () => {
    await shell?.dispose();
  });
  const lastCall = (cmdlet: string) =>
    exchange
      .calls()
      .filter((c) => c.cmdlet === cmdlet)
      .at(-1);

  it('invoke-probe names the target resource, gives Exchange a timeout under ours, and sends ResultType as its name', async () => {
    const { data } = await callScript(
      shell,
      'invoke-probe',
      { server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe', targetResource: 'IMAP', timeoutSeconds: 25 },
      AbortSignal.timeout(30_000),
    );
    expect(lastCall('Invoke-MonitoringProbe')?.parameters).toMatchObject({
      Identity: 'IMAP\\ImapCTPProbe\\IMAP',
      Server: 'SERVER1',
      TimeOutSeconds: '25',
    });
    // The stand-in returns ResultType as an enum, as a live object has it; ConvertTo-Json would write 4.
    expect((data as Record<string, unknown>[])[0]?.ResultType).toBe('Failed');
  });

  it('get-server-health asks Exchange for each health set instead of fetching every monitor', async () => {
    const { data } = await callScript(
      shell,
      'get-server-health',
      { server: 'SERVER1', healthSets: ['IMAP', 'IMAP.Proxy'] },
      AbortSignal.timeout(30_000),
    );
    const calls = exchange
      .calls()
      .filter((c) => c.cmdlet === 'Get-ServerHealth')
      .slice(-2);
    expect(calls.map((c) => c.parameters.HealthSet)).toEqual(['IMAP', 'IMAP.Proxy']);
    expect(new Set((data as { HealthSetName: string }[]).map((r) => r.HealthSetName))).toEqual(
      new Set(['IMAP', 'IMAP.Proxy']),
    );
  });

  it('get-server-health reads an AlertValue a newer build may send as Unknown for that monitor, and the rest as usual', async () => {
    const { exchange: ex, gateway } = await onModule(pwsh);
    ex.change((s) => (s.alertOverrides = { ImapCTPMonitor: 'Flapping' }));
    const rows = await gateway.run({ kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] });
    expect(rows.find((r) => r.monitor === 'ImapCTPMonitor')?.alertValue).toBe('Unknown');
    expect(rows.filter((r) => r.monitor !== 'ImapCTPMonitor').map((r) => r.alertValue)).toEqual(['Healthy', 'Healthy']);
  });

  it('get-database-copy-status returns the queues, the content index, the active copy and the last inspected log', async () => {
    exchange.change((s) => {
      const copy = (s.copies as Copy[]).find((c) => c.DatabaseName === 'DB01' && c.MailboxServer === 'SERVER1')!;
      copy.CopyQueueLength = 42;
    });
    const { gateway } = await onModule(pwsh);
    const copies = await gateway.run({ kind: 'get-database-copy-status', server: 'SERVER1' });
    expect(copies.find((c) => c.database === 'DB02')).toMatchObject({
      copyQueueLength: 0,
      replayQueueLength: 0,
      contentIndexState: 'Healthy',
      activeServer: 'server1',
      lastInspectedLogTime: expect.any(String),
    });
    expect(copies.find((c) => c.database === 'DB01')).toMatchObject({ status: 'Healthy', activeServer: 'mbx1' });
  });

  it('set-database-activation counts a Mounting copy as active and reports a move under way as in progress', async () => {
    const { exchange: ex, gateway } = await onModule(pwsh);
    ex.change((s) => {
      // DB02 on SERVER1 is mounting (a failover back under way); its copy on SERVER2 is healthy.
      (s.copies as Copy[]).find((c) => c.DatabaseName === 'DB02' && c.MailboxServer === 'SERVER1')!.Status = 'Mounting';
    });
    const outcome = await gateway.run(
      { kind: 'set-database-activation', server: 'SERVER1', mode: 'move-now' },
      { timeoutMs: 10_000 },
    );
    expect(unsaid(outcome)).toEqual({
      ok: true,
      detail:
        'activation blocked on SERVER1; move still in progress for DB02 (Mounting; other copies: DB02\\SERVER2 Healthy)',
      previousPolicy: 'Unrestricted',
      previousDisabledAndMoveNow: false,
    });
  });

  it('set-database-activation names the database that cannot move and why', async () => {
    const { gateway } = await onModule(pwsh);
    // SERVER1, where DB01's only other copy is, is blocked from activation first.
    expect(
      (
        await gateway.run(
          { kind: 'set-database-activation', server: 'SERVER1', mode: 'move-now' },
          { timeoutMs: 10_000 },
        )
      ).ok,
    ).toBe(true);
    const outcome = await gateway.run(
      { kind: 'set-database-activation', server: 'MBX1', mode: 'move-now' },
      { timeoutMs: 10_000 },
    );
    expect(unsaid(outcome)).toEqual({
      ok: false,
      detail: 'activation blocked on MBX1; cannot move DB01 (Mounted; other copies: DB01\\SERVER1 Healthy)',
      previousPolicy: 'Unrestricted',
      previousDisabledAndMoveNow: false,
    });
  });

  it.each(['IntrasiteOnly', 'Blocked', 'Unrestricted'] as const)(
    'set-database-activation remembers the policy %s, blocks activation, and the put-back restores it',
    async (policy) => {
      const { exchange: ex, gateway } = await onModule(pwsh);
      ex.change((s) => {
        (
          s.mailboxServers as Record<string, { DatabaseCopyAutoActivationPolicy: string }>
        ).SERVER1!.DatabaseCopyAutoActivationPolicy = policy;
      });
      const member = async () =>
        (await gateway.run({ kind: 'get-restart-readiness', server: 'MBX1' })).members.find(
          (m) => m.server === 'SERVER1',
        );
      const moved = await gateway.run(
        { kind: 'set-database-activation', server: 'SERVER1', mode: 'move-now' },
        { timeoutMs: 10_000 },
      );
      expect(moved).toMatchObject({ ok: true, previousPolicy: policy, previousDisabledAndMoveNow: false });
      expect(await member()).toMatchObject({ activationPolicy: 'Blocked', activationDisabledAndMoveNow: true });
      // Run again (a retry): it reports what it finds now, the flag it set included; the engine keeps the first reading.
      expect(
        await gateway.run(
          { kind: 'set-database-activation', server: 'SERVER1', mode: 'move-now' },
          { timeoutMs: 10_000 },
        ),
      ).toMatchObject({ previousPolicy: 'Blocked', previousDisabledAndMoveNow: true });
      const before = ex.calls().length;
      const back = await gateway.run(
        { kind: 'set-database-activation', server: 'SERVER1', mode: 'allow', restorePolicy: policy },
        { timeoutMs: 10_000 },
      );
      expect(unsaid(back)).toEqual({
        ok: true,
        detail: `activation allowed again on SERVER1 (policy ${policy} restored)`,
      });
      const set = ex
        .calls()
        .slice(before)
        .find((c) => c.cmdlet === 'Set-MailboxServer');
      expect(set?.parameters).toMatchObject({
        Identity: 'SERVER1',
        DatabaseCopyActivationDisabledAndMoveNow: false,
        DatabaseCopyAutoActivationPolicy: policy,
      });
      expect(await member()).toMatchObject({ activationPolicy: policy, activationDisabledAndMoveNow: false });
    },
  );

  it('set-database-activation refuses a policy to restore that is not one of the three, before PowerShell sees it', async () => {
    const { gateway } = await onModule(pwsh);
    const refused = gateway.run(
      { kind: 'set-database-activation', server: 'SERVER1', mode: 'allow', restorePolicy: 'Sometimes' as never },
      { timeoutMs: 10_000 },
    );
    await expect(refused).rejects.toMatchObject({ code: 'not-allowed' });
  });

  it('restart-service reads StartType, waits for the stop, and reports a service stuck in StopPending instead of starting it', async () => {
    const { exchange: ex, gateway } = await onModule(pwsh);
    expect(await gateway.run({ kind: 'get-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' })).toMatchObject({
      status: 'Running',
      startType: 'Automatic',
    });
    ex.change((s) => (s.stuckStopping = ['MBX1|MSExchangeIMAP4BE']));
    // 10 s for the call: the script waits 5 s for the stop, then gives up on it.
    const outcome = await gateway.run(
      { kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' },
      { timeoutMs: 10_000 },
    );
    expect(unsaid(outcome)).toEqual({
      ok: false,
      detail: 'MSExchangeIMAP4BE on MBX1 did not stop in time (StopPending); it was not started again',
    });
    expect(ex.calls().filter((c) => c.cmdlet === 'Start-Service')).toEqual([]);
  });

  it('app pools go through appcmd.exe; a stopped pool is started (not "recycled") and rapid-fail protection is named', async () => {
    const { exchange: ex, gateway } = await onModule(pwsh);
    expect(
      await gateway.run({ kind: 'get-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' }),
    ).toMatchObject({ status: 'Started' });
    expect(
      unsaid(await gateway.run({ kind: 'recycle-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' })),
    ).toEqual({ ok: true, detail: 'MSExchangeECPAppPool recycled on SERVER1' });
    ex.change((s) => {
      (s.appPools as Record<string, Record<string, string>>).SERVER1!.MSExchangeECPAppPool = 'Stopped';
      (s.events as Record<string, unknown[]>).SERVER1 = [
        {
          Id: 5002,
          LogName: 'System',
          ProviderName: 'Microsoft-Windows-WAS',
          TimeCreated: '2026-11-24T13:40:00Z',
          Message:
            "Application pool 'MSExchangeECPAppPool' is being automatically disabled due to a series of failures in the process(es) serving that application pool.",
        },
      ];
    });
    expect(
      await gateway.run({ kind: 'get-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' }),
    ).toMatchObject({ status: 'Stopped' });
    expect(await gateway.run({ kind: 'recycle-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' })).toEqual(
      {
        ok: true,
        detail:
          'MSExchangeECPAppPool on SERVER1 was stopped and has been started (WAS rapid-fail protection stopped it at 2026-11-24T13:40:00.000Z, event 5002)',
        say: {
          code: 'appPoolStartedRapidFail',
          vars: { appPool: 'MSExchangeECPAppPool', server: 'SERVER1', at: '2026-11-24T13:40:00.000Z' },
        },
      },
    );
    const appcmd = ex
      .calls()
      .filter((c) => c.cmdlet === 'appcmd.exe')
      .map((c) => (c.parameters.Arguments as string[]).slice(0, 2).join(' '));
    expect(appcmd).toEqual([
      'list apppool',
      'list apppool',
      'recycle apppool',
      'list apppool',
      'list apppool',
      'list apppool',
      'start apppool',
      'list apppool',
    ]);
    expect(ex.calls().map((c) => c.cmdlet)).not.toContain('Import-Module (target)');
  });

  it('connect opens the session with server-side idle and operation timeouts, and WinRM never reuses Basic', async () => {
    await openSession(
      shell,
      {
        authentication: 'Basic',
        credential: { username: 'CONTOSO\\healthbot', password: 'p' },
        operationTimeoutMs: 60_000,
        sessionIdleTimeoutMs: 120_000,
      },
      ENDPOINTS[0]!,
      AbortSignal.timeout(30_000),
    );
    expect(lastCall('New-PSSession')?.parameters).toEqual({
      ConfigurationName: 'Microsoft.Exchange',
      ConnectionUri: ENDPOINTS[0]!.uri,
      Authentication: 'Basic',
      Credential: 'CONTOSO\\healthbot',
      IdleTimeoutMs: 120_000,
      OperationTimeoutMs: 90_000,
    });
    expect(lastCall('Import-PSSession')?.parameters).toMatchObject({ CommandName: [...EXCHANGE_CMDLETS] });
    await callScript(
      shell,
      'get-service',
      { server: 'MBX1', fqdn: 'mbx1.contoso.com', service: 'MSExchangeIMAP4BE' },
      AbortSignal.timeout(30_000),
    );
    expect(lastCall('Invoke-Command')?.parameters).toMatchObject({
      ComputerName: ['mbx1.contoso.com'],
      Authentication: 'Negotiate',
      Credential: 'CONTOSO\\healthbot',
    });
    expect(lastCall('Invoke-Command')?.parameters.UseSSL).toBeUndefined();
  });
});
