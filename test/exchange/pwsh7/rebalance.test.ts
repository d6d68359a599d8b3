/**
 * rebalance-databases in a real PowerShell 7 with the stand-in module: once activation is allowed
 * again, Move-ActiveMailboxDatabase -ActivatePreferredOnServer brings home the databases whose
 * preferred copy is on the server, and the answer says which moved and from where.
 */
import { describe, expect, it } from 'vitest';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { onModule } from './helpers.ts';

const pwsh = pwshPath();

describe('rebalance-databases against the stand-in Exchange module', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  it('moves the database whose preferred copy is on SERVER1 back there, with the documented parameter set, and then has nothing left to move', async () => {
    const { exchange, gateway } = await onModule(pwsh);
    // SERVER1's own copy of DB02: Mounted while it is active there, Healthy (passive) once it moved.
    const onServer1 = async () =>
      (await gateway.run({ kind: 'get-database-copy-status', server: 'SERVER1' })).find((c) => c.database === 'DB02')
        ?.status;
    expect(await onServer1()).toBe('Mounted');
    expect(
      (
        await gateway.run(
          { kind: 'set-database-activation', server: 'SERVER1', mode: 'move-now' },
          { timeoutMs: 15_000 },
        )
      ).ok,
    ).toBe(true);
    expect(await onServer1()).toBe('Healthy');
    await gateway.run(
      { kind: 'set-database-activation', server: 'SERVER1', mode: 'allow', restorePolicy: 'Unrestricted' },
      { timeoutMs: 15_000 },
    );

    const before = exchange.calls().length;
    expect(await gateway.run({ kind: 'rebalance-databases', server: 'SERVER1' }, { timeoutMs: 15_000 })).toEqual({
      ok: true,
      detail: 'moved back to SERVER1: DB02 (from SERVER2)',
      say: { code: 'rebalanceMoved', vars: { server: 'SERVER1', databases: 'DB02 ← SERVER2' } },
    });
    const move = exchange
      .calls()
      .slice(before)
      .find((c) => c.cmdlet === 'Move-ActiveMailboxDatabase');
    expect(move?.parameters).toEqual({ ActivatePreferredOnServer: 'SERVER1', Confirm: false, ErrorAction: 'Stop' });
    expect(await onServer1()).toBe('Mounted');

    expect(await gateway.run({ kind: 'rebalance-databases', server: 'SERVER1' }, { timeoutMs: 15_000 })).toEqual({
      ok: true,
      detail: 'no database had to move back to SERVER1',
      say: { code: 'rebalanceNothing', vars: { server: 'SERVER1' } },
    });
  }, 60_000);

  it('reports an Exchange refusal as a failure naming the reason, not as moved', async () => {
    const { exchange, gateway } = await onModule(pwsh);
    exchange.inject('Move-ActiveMailboxDatabase', {
      kind: 'error',
      message: 'An Active Manager operation failed: the server is blocked from activation.',
      reason: 'AmDbActionWrapperException',
    });
    await expect(
      gateway.run({ kind: 'rebalance-databases', server: 'SERVER1' }, { timeoutMs: 15_000 }),
    ).rejects.toMatchObject({ code: 'failed', message: expect.stringContaining('blocked from activation') });
  }, 60_000);
});
