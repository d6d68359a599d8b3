/**
 * The engine's whole flow through a real PowerShell 7 and the stand-in Exchange module, on the
 * lab's imap-backend-hang scenario: diagnose, a second person approves, the service restarts,
 * the probe passes again and the incident is resolved.
 */
import { describe, expect, it } from 'vitest';
import { cardText, countingGateway, createHarness } from '../../engine/harness.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { onModule } from './helpers.ts';

const pwsh = pwshPath();

describe('diagnose and recover through a real PowerShell 7', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  it('confirms the IMAP back-end hang, restarts MSExchangeIMAP4BE on MBX1 once bob approves, and sees it resolved', async () => {
    const { exchange, gateway: ps } = await onModule(pwsh, 'imap-backend-hang', {}, { shells: 2 });
    const gateway = countingGateway(ps);
    const h = await createHarness('healthy', { overrides: { gateway } });

    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('IMAP on SERVER1: problem confirmed');
    expect(cardText(card)).toMatch(/IMAP\\ImapCTPProbe on SERVER1 → Failed/);
    expect(card?.actions[0]?.label).toBe('Restart MSExchangeIMAP4BE on MBX1');

    await h.click(card!.actions[0]!.id, h.people.alice);
    expect(exchange.calls().map((c) => c.cmdlet)).not.toContain('Stop-Service');
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);

    expect(h.lastCard('diagnosis')?.title).toBe('IMAP on SERVER1: resolved');
    const calls = exchange.calls();
    expect(calls.filter((c) => c.cmdlet === 'Stop-Service')).toEqual([
      expect.objectContaining({ parameters: { Name: ['MSExchangeIMAP4BE'], Force: true, ComputerName: 'MBX1' } }),
    ]);
    const restarts = calls.filter((c) => c.cmdlet === 'Start-Service');
    expect(restarts).toEqual([
      expect.objectContaining({ parameters: { Name: ['MSExchangeIMAP4BE'], ComputerName: 'MBX1' } }),
    ]);
    // The probe ran again in PowerShell after the restart, and the scenario's fault is gone.
    expect(calls.slice(calls.indexOf(restarts[0]!)).some((c) => c.cmdlet === 'Invoke-MonitoringProbe')).toBe(true);
    expect(exchange.state().faults).toEqual([]);
    expect(await h.store.listApprovals({ states: ['succeeded'] })).toHaveLength(1);
    expect(exchange.canary()).toEqual([]);
  }, 120_000);
});
