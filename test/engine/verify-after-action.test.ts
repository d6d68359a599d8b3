import { describe, expect, it } from 'vitest';
import type { ExchangeGateway, Operation, ProbeResult } from '../../src/core/index.ts';
import { cardText, createHarness } from './harness.ts';

/**
 * After an approved step the engine reruns the acted-on monitor's probe. On a real server the
 * monitor's state in Get-ServerHealth lags the probe by minutes, so the fresh probe decides.
 */
async function approvedRestart(options: { probeStillFails?: boolean; probeBroken?: boolean } = {}) {
  let restarted = false;
  const wrap = (inner: ExchangeGateway): ExchangeGateway => ({
    listServers: () => inner.listServers(),
    health: () => inner.health(),
    close: () => inner.close(),
    run: (async (op: Operation, o?: Parameters<ExchangeGateway['run']>[1]) => {
      const result = await inner.run(op as never, o);
      if (op.kind === 'restart-service') restarted = true;
      if (restarted && op.kind === 'invoke-probe' && op.probe === 'ImapCTPProbe') {
        if (options.probeBroken) throw Object.assign(new Error('the probe could not run'), { code: 'timeout' });
        if (options.probeStillFails)
          return {
            ...(result as ProbeResult),
            resultType: 'Failed',
            error: 'still refusing LOGIN',
          } satisfies ProbeResult;
      }
      return result;
    }) as ExchangeGateway['run'],
  });
  const h = await createHarness('imap-backend-hang', { wrapGateway: wrap });
  await h.ask("what's wrong with IMAP on server1?");
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
  const approval = (await h.store.listApprovals({ states: ['pending'] }))[0]!;
  await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
  const audit = await h.store.readAudit({ incidentId: approval.incidentId });
  return { h, approval, audit };
}

describe('checking a step with a fresh probe', () => {
  it('reruns the probe after the restart although Get-ServerHealth already shows the monitor healthy', async () => {
    const { h, audit } = await approvedRestart();
    const kinds = h.gateway.ran.map((op) => (op.kind === 'invoke-probe' ? `probe:${op.probe}` : op.kind));
    expect(kinds.slice(kinds.indexOf('restart-service'))).toContain('probe:ImapCTPProbe');
    const afterAction = audit.slice(audit.findIndex((r) => r.type === 'action-finished'));
    expect(afterAction.find((r) => r.type === 'probe')?.data).toMatchObject({
      probe: 'IMAP\\ImapCTPProbe',
      resultType: 'Succeeded',
    });
    expect(h.lastCard('diagnosis')?.title).toBe('IMAP on SERVER1: resolved');
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/probe passes again/);
  });

  it('keeps the monitor confirmed and offers the next step when the probe still fails', async () => {
    const { h } = await approvedRestart({ probeStillFails: true });
    const card = h.lastCard('diagnosis');
    expect(card?.title).toBe('IMAP on SERVER1: problem confirmed');
    expect(cardText(card)).toMatch(/still fails/);
    expect(cardText(card)).toMatch(/still refusing LOGIN/);
    expect(card?.actions.some((a) => /Restart MSExchangeIMAP4BE/.test(a.label))).toBe(false);
  });

  it('says plainly when the probe could not be rerun to confirm the fix', async () => {
    const { h } = await approvedRestart({ probeBroken: true });
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/could not be rerun to confirm/);
  });
});
