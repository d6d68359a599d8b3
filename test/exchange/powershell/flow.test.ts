/**
 * The whole diagnose-and-recover flow of the engine through the real node-powershell path: the
 * engine asks, the gateway runs fixed scripts on pooled stand-in shells, the answers are parsed
 * into the model, and the approved restart mends the organisation.
 */
import { describe, expect, it } from 'vitest';
import type { PowerShellGateway } from '../../../src/exchange/powershell/index.ts';
import { cardText, countingGateway, createHarness } from '../../engine/harness.ts';
import type { Scenario } from '../../fixtures/fake-pwsh/org.ts';
import { contoso, fakeEnv } from '../../fixtures/fake-pwsh/org.ts';
import { gatewayOn, scriptsRun } from './helpers.ts';

async function onPowerShell(scenario: Scenario = contoso(), over: Parameters<typeof gatewayOn>[1] = {}) {
  const fake = fakeEnv(scenario);
  const ps: PowerShellGateway = await gatewayOn(fake, { shells: 3, ...over });
  const gateway = countingGateway(ps);
  const h = await createHarness('healthy', { overrides: { gateway } });
  return { h, fake, ps, gateway };
}

describe('diagnose and recover through the PowerShell gateway', () => {
  it('confirms the back-end hang, restarts IMAP4BE on MBX1 after a second person approves, and sees it resolved', async () => {
    const { h, fake, gateway } = await onPowerShell();
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('IMAP on SERVER1: problem confirmed');
    expect(cardText(card)).toMatch(/IMAP\\ImapCTPProbe on SERVER1 → Failed/);
    expect(cardText(card)).toMatch(/MBX1 is unhealthy too/);
    expect(card?.actions[0]?.label).toBe('Restart MSExchangeIMAP4BE on MBX1');

    await h.click(card!.actions[0]!.id, h.people.alice);
    const approval = h.lastCard('approval');
    expect(scriptsRun(fake)).not.toContain('restart-service');
    await h.click(h.button(approval, /^Approve$/), h.people.bob);

    expect(h.lastCard('diagnosis')?.title).toBe('IMAP on SERVER1: resolved');
    const ran = scriptsRun(fake);
    expect(ran.filter((s) => s === 'restart-service')).toHaveLength(1);
    // After the restart, the probe was run again on Exchange and succeeded there.
    expect(ran.slice(ran.indexOf('restart-service')).filter((s) => s === 'invoke-probe').length).toBeGreaterThan(0);
    expect(gateway.ran.find((op) => op.kind === 'restart-service')).toEqual({
      kind: 'restart-service',
      server: 'MBX1',
      service: 'MSExchangeIMAP4BE',
    });
    expect(await h.store.listApprovals({ states: ['succeeded'] })).toHaveLength(1);
  });

  it('names an unknown server without running anything on Exchange for it', async () => {
    const { h, fake } = await onPowerShell();
    await h.ask("what's wrong with IMAP on serevr1?");
    expect(cardText(h.lastCard('notice'))).toMatch(/SERVER1/);
    expect(scriptsRun(fake)).toEqual(['connect', 'inventory']);
  });

  it('shows a probe that timed out as unverified and keeps the other findings', async () => {
    const { h, fake, ps } = await onPowerShell(contoso(), { operationTimeoutMs: 1500 });
    // Start all three shells first, each on its own server and with a generous timeout: only the
    // hung probe may meet the short one. A shell started during the diagnosis on a busy machine
    // could take longer than 1.5 s to spawn and would count as a second timeout.
    await ps.listServers();
    await Promise.all(
      ['SERVER1', 'SERVER2', 'MBX1'].map((server) =>
        ps.run({ kind: 'get-server-health', server }, { timeoutMs: 120_000 }),
      ),
    );
    expect(ps.stats().started).toBe(3);
    fake.rules([{ script: 'invoke-probe', action: 'hang' }]);
    await h.ask("what's wrong with IMAP on server1?", h.people.alice);
    const card = h.lastCard('diagnosis');
    expect(card?.title).not.toMatch(/resolved|recovered/);
    expect(cardText(card)).toMatch(/ImapCTPMonitor/);
    expect(card?.title).toBe('IMAP on SERVER1: unhealthy (no probe to confirm it)');
    expect(ps.stats().timeouts).toBe(1);
  });

  it('records an approved restart whose shell died mid-way as outcome unknown, never as done', async () => {
    const { h, fake } = await onPowerShell();
    await h.ask("what's wrong with IMAP on server1?");
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    fake.rules([{ script: 'restart-service', action: 'crash', times: 1 }]);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    const [approval] = await h.store.listApprovals();
    expect(approval?.state).toBe('outcome-unknown');
    expect(approval?.outcome?.detail).toMatch(/^crashed: /);
  });

  it('reports a restart WinRM refuses as failed, with the reason', async () => {
    const { h } = await onPowerShell({ ...contoso(), remoteDenied: ['MBX1'] });
    await h.ask("what's wrong with IMAP on server1?");
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    const [approval] = await h.store.listApprovals();
    expect(approval?.state).toBe('failed');
    expect(approval?.outcome?.detail).toMatch(/^permission-denied: .*Access is denied/);
  });
});
