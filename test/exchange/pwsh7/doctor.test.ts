/**
 * `healthbot doctor` in a real PowerShell 7 against the stand-in Exchange module, with cmdlets
 * and parameters hidden the way an RBAC role that does not grant them hides them.
 */
import { describe, expect, it } from 'vitest';
import { powerShellDoctor } from '../../../src/exchange/powershell/doctor.ts';
import { EXCHANGE_CMDLETS } from '../../../src/exchange/powershell/scripts.ts';
import type { Hidden } from '../../fixtures/exchange-module/module.ts';
import { EXCHANGE_MODULE, standInExchange } from '../../fixtures/exchange-module/module.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { ENDPOINTS, onModule } from './helpers.ts';

const pwsh = pwshPath();

async function doctor(executable: string, hidden: Hidden = {}) {
  const exchange = await standInExchange('imap-backend-hang', hidden);
  const checks = await powerShellDoctor({
    executable,
    endpoints: ENDPOINTS,
    authentication: 'Kerberos',
    env: exchange.env,
    operationTimeoutMs: 20_000,
    connectTimeoutMs: 30_000,
    standInModule: EXCHANGE_MODULE,
  });
  return Object.fromEntries(checks.map((c) => [c.name, c]));
}

describe('healthbot doctor in a real PowerShell 7', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  it('finds pwsh 7, the session and every cmdlet with its parameters when the role grants them', async () => {
    const checks = await doctor(pwsh);
    expect(checks['PowerShell 7 (pwsh)']).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^pwsh 7\.\d+\.\d+/),
    });
    expect(checks['Exchange session SERVER1']?.ok).toBe(true);
    expect(checks['Exchange permissions']).toMatchObject({
      ok: true,
      detail: `all ${EXCHANGE_CMDLETS.length} cmdlets the operations use are granted, with their parameters`,
    });
    expect(checks['Server inventory']).toMatchObject({
      ok: true,
      detail: expect.stringContaining('3 server(s): SERVER1'),
    });
  }, 60_000);

  it('reports each cmdlet and parameter the role leaves out, with the role change that fixes it', async () => {
    const checks = await doctor(pwsh, {
      cmdlets: ['Invoke-MonitoringProbe'],
      parameters: {
        'Set-MailboxServer': ['DatabaseCopyActivationDisabledAndMoveNow'],
        'Set-ImapSettings': ['ProtocolLogEnabled'],
      },
    });
    const gaps = Object.values(checks).filter((c) => c.name.startsWith('Exchange permission') && !c.ok);
    expect(gaps.map((c) => c.name)).toEqual([
      'Exchange permission Invoke-MonitoringProbe',
      'Exchange permission Set-ImapSettings -ProtocolLogEnabled',
      'Exchange permission Set-MailboxServer -DatabaseCopyActivationDisabledAndMoveNow',
    ]);
    expect(checks['Exchange permission Set-MailboxServer -DatabaseCopyActivationDisabledAndMoveNow']?.fix).toBe(
      'Set-ManagementRoleEntry "<role>\\Set-MailboxServer" -Parameters DatabaseCopyActivationDisabledAndMoveNow -AddParameter',
    );
    expect(checks['Exchange permissions']).toBeUndefined();
  }, 60_000);

  it('and the gateway meets the same gaps as permission errors when an operation needs them', async () => {
    const { gateway } = await onModule(pwsh, 'imap-backend-hang', {
      cmdlets: ['Invoke-MonitoringProbe'],
      parameters: { 'Set-MailboxServer': ['DatabaseCopyActivationDisabledAndMoveNow'] },
    });
    await expect(
      gateway.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' }),
    ).rejects.toMatchObject({ code: 'permission-denied' });
    const err = await gateway
      .run({ kind: 'set-database-activation', server: 'SERVER1', mode: 'allow' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'permission-denied',
      message: expect.stringContaining("parameter name 'DatabaseCopyActivationDisabledAndMoveNow'"),
    });
    // What the role grants still works.
    expect(await gateway.run({ kind: 'get-database-copy-status', server: 'SERVER1' })).not.toHaveLength(0);
  }, 60_000);
});
