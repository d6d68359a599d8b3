/**
 * A monitor fed by performance counters has no probe: Get-ServerHealth is its only witness. A
 * passing probe of another monitor in the same health set must not make it "transient".
 */
import { describe, expect, it } from 'vitest';
import { cardText, createHarness } from './harness.ts';

describe('counter monitors', () => {
  it('AverageCommandProcessingTimeGt60sMonitor is judged by Get-ServerHealth, runs no probe, and is never transient', async () => {
    const h = await createHarness('imap-slow-commands');
    await h.ask('imap on server2');
    const card = h.lastCard('diagnosis')!;
    expect(card.title).toBe('IMAP on SERVER2: unhealthy (reported by Get-ServerHealth)');
    expect(card.severity).toBe('warning');
    expect(cardText(card)).toMatch(/fed by performance counters.*Get-ServerHealth is the judge/s);
    expect(cardText(card)).toMatch(/no probe: this monitor is fed by counters or events/);
    // No probe stands in for it: the IMAP.Protocol self-test passing would say nothing.
    expect(h.gateway.ran.filter((op) => op.kind === 'invoke-probe')).toEqual([]);
    const [incident] = await h.store.listIncidents(1);
    expect(incident!.status).toBe('confirmed');
    expect(incident!.findings).toEqual([
      expect.objectContaining({ monitor: 'AverageCommandProcessingTimeGt60sMonitor', verdict: 'reported' }),
    ]);
    // Its ladder is offered: the load ladder, starting with the front-end service restart.
    expect(card.actions[0]!.label).toBe('Restart MSExchangeIMAP4 on SERVER2');
  });

  it('says so in German too', async () => {
    const h = await createHarness('imap-slow-commands', { locale: 'de' });
    await h.ask('was ist mit imap auf server2 los?');
    expect(h.lastCard('diagnosis')!.title).toMatch(/laut Get-ServerHealth/);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/Leistungsindikatoren/);
  });
});
