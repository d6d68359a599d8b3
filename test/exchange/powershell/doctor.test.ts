/**
 * `healthbot doctor` against real Exchange: what is missing, and the fix, for a missing pwsh,
 * an unreachable endpoint, cmdlets or parameters RBAC does not grant, and WinRM refusals.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli.ts';
import { formatDoctor, powerShellDoctor } from '../../../src/exchange/powershell/doctor.ts';
import { FAKE_PWSH, contoso, fakeEnv } from '../../fixtures/fake-pwsh/org.ts';
import type { Scenario } from '../../fixtures/fake-pwsh/org.ts';
import { alive, scriptsRun } from './helpers.ts';

const ENDPOINTS = [
  { server: 'SERVER1', uri: 'http://server1.contoso.com/PowerShell/' },
  { server: 'SERVER2', uri: 'http://server2.contoso.com/PowerShell/' },
];

function doctorOn(scenario: Scenario) {
  const fake = fakeEnv(scenario);
  const run = () =>
    powerShellDoctor({
      executable: FAKE_PWSH,
      endpoints: ENDPOINTS,
      authentication: 'Kerberos',
      env: fake.env,
      operationTimeoutMs: 5000,
      connectTimeoutMs: 5000,
    });
  return { fake, run };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('healthbot doctor for the PowerShell gateway', () => {
  it('explains a missing pwsh and how to fix it, from the command line', async () => {
    vi.stubEnv('HEALTHBOT_EXCHANGE', 'powershell');
    vi.stubEnv('HEALTHBOT_EXCHANGE_ENDPOINTS', 'ex1=http://ex1.contoso.com/PowerShell/');
    vi.stubEnv('HEALTHBOT_PWSH', '/opt/nowhere/pwsh');
    let out = '';
    const code = await runCli(['doctor'], { out: (t) => (out += t), err: (t) => (out += t) });
    expect(code).toBe(1);
    expect(out).toContain(
      'FAIL PowerShell 7 (pwsh): PowerShell 7 (pwsh) is not installed or not on PATH (looked for "/opt/nowhere/pwsh")',
    );
    expect(out).toMatch(/fix: Install PowerShell 7 on this host .* or set HEALTHBOT_PWSH to the full path of pwsh/);
  });

  it('passes everything on an organisation that grants what the operations need, and leaves no session behind', async () => {
    const { fake, run } = doctorOn(contoso());
    const checks = await run();
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(checks.map((c) => c.name)).toEqual([
      'PowerShell 7 (pwsh)',
      'Exchange session SERVER1',
      'Exchange session SERVER2',
      'Exchange permissions',
      'Server inventory',
      'Windows remoting SERVER1',
      'Windows remoting SERVER2',
      'Windows remoting MBX1',
    ]);
    expect(formatDoctor(checks)).toMatch(/^ok {3}PowerShell 7 \(pwsh\): pwsh 7\.4\.6/);
    expect(scriptsRun(fake).filter((s) => s === 'disconnect')).toHaveLength(2);
    expect(fake.lines().every((l) => !alive(l.pid))).toBe(true);
  });

  it('lists each missing cmdlet and parameter with the role change that fixes it', async () => {
    const { run } = doctorOn({
      ...contoso(),
      denied: ['Invoke-MonitoringProbe', 'Set-ImapSettings'],
      deniedParameters: { 'Set-MailboxServer': ['DatabaseCopyActivationDisabledAndMoveNow'] },
    });
    const failed = (await run()).filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual([
      'Exchange permission Invoke-MonitoringProbe',
      'Exchange permission Set-ImapSettings',
      'Exchange permission Set-MailboxServer -DatabaseCopyActivationDisabledAndMoveNow',
    ]);
    expect(failed[0]).toMatchObject({
      detail: "not granted to the bot's account (needed by invoke-probe)",
      fix: expect.stringContaining('Add-ManagementRoleEntry "<role>\\Invoke-MonitoringProbe"'),
    });
    expect(failed[2]?.fix).toBe(
      'Set-ManagementRoleEntry "<role>\\Set-MailboxServer" -Parameters DatabaseCopyActivationDisabledAndMoveNow -AddParameter',
    );
  });

  it('says which endpoint cannot be reached and why, and goes on with the one that can', async () => {
    const { run } = doctorOn({
      ...contoso(),
      connectFailures: { [ENDPOINTS[0]!.uri]: 'denied' },
      remoteDenied: ['MBX1'],
      remoteUnreachable: ['SERVER2'],
    });
    const checks = await run();
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName['Exchange session SERVER1']).toMatchObject({
      ok: false,
      detail: expect.stringContaining('Access is denied'),
      fix: expect.stringContaining('RemotePowerShellEnabled'),
    });
    expect(byName['Exchange session SERVER2']?.ok).toBe(true);
    expect(byName['Exchange permissions']?.ok).toBe(true);
    expect(byName['Windows remoting MBX1']).toMatchObject({
      ok: false,
      fix: expect.stringContaining('local Administrators of MBX1'),
    });
    expect(byName['Windows remoting SERVER2']).toMatchObject({ ok: false, fix: expect.stringContaining('TCP 5985') });
  });

  it('stops after the sessions when no endpoint answers', async () => {
    const { run } = doctorOn({
      ...contoso(),
      connectFailures: { [ENDPOINTS[0]!.uri]: 'unreachable', [ENDPOINTS[1]!.uri]: 'unreachable' },
    });
    const checks = await run();
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['PowerShell 7 (pwsh)', true],
      ['Exchange session SERVER1', false],
      ['Exchange session SERVER2', false],
    ]);
    expect(checks[1]?.fix).toMatch(/port \(80 for http/);
  });
});
