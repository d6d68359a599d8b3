/**
 * Is the service meant to run? A Disabled service, or a Manual one that is stopped, means the
 * protocol is not enabled on the server: the alert is noise, and no restart is offered.
 */
import { describe, expect, it } from 'vitest';
import { cardText, createHarness } from './harness.ts';

describe('service start type before the first restart', () => {
  it('imap-disabled-noise: says IMAP is not enabled, explains, and offers no restart', async () => {
    const h = await createHarness('imap-disabled-noise');
    await h.ask('imap proxy on server1');
    const card = h.lastCard('diagnosis')!;
    expect(card.title).toBe('IMAP.Proxy on SERVER1: not enabled on this server (the alert is noise)');
    expect(card.severity).toBe('info');
    const text = cardText(card);
    expect(text).toContain('MSExchangeIMAP4 on SERVER1: start type Disabled (Stopped)');
    expect(text).toMatch(/No restart is offered/);
    expect(text).toContain(
      'Add-ServerMonitoringOverride -Server SERVER1 -Identity "IMAP.Proxy\\ImapProxyTestMonitor" -ItemType Monitor -PropertyName Enabled -PropertyValue 0 -Duration 7.00:00:00',
    );
    expect(card.actions.map((a) => a.label).filter((l) => /Restart|Move/.test(l))).toEqual([]);
    expect(h.gateway.ran).toContainEqual({ kind: 'get-service', server: 'SERVER1', service: 'MSExchangeIMAP4' });
    expect(h.gateway.ran.some((op) => op.kind === 'restart-service' || op.kind === 'restart-server')).toBe(false);
  });

  it('a running Automatic service is meant to run: the ladder is offered as usual', async () => {
    const h = await createHarness('imap-proxy-failure');
    await h.ask('imap proxy on server2');
    const card = h.lastCard('diagnosis')!;
    expect(card.title).toBe('IMAP.Proxy on SERVER2: problem confirmed');
    expect(card.actions[0]!.label).toBe('Restart MSExchangeIMAP4 on SERVER2');
  });

  it('in German too', async () => {
    const h = await createHarness('imap-disabled-noise', { locale: 'de' });
    await h.ask('was ist mit imap proxy auf server1 los?');
    expect(h.lastCard('diagnosis')!.title).toMatch(/nicht aktiviert/);
  });
});
