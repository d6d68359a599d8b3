/**
 * Issue 14.4: overrides touching the health set are listed on the card (a stale ApplyVersion one
 * and a monitor hidden as Disabled are flagged), and a noise alert is offered a time-boxed
 * override as an approved step, no longer than the policy allows, that ends by itself and whose
 * end is recorded in the timeline.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/index.ts';
import { buildTimeline } from '../../src/core/engine/timeline.ts';
import { createTranslator } from '../../src/i18n/index.ts';
import { loadPolicyFile } from '../../src/policy/load.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

const root = join(import.meta.dirname, '../..');

describe('monitoring overrides', () => {
  it('override-hides-monitor: lists both overrides, flags the one a CU left behind and the hidden monitor', async () => {
    const h = await createHarness('override-hides-monitor');
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis')!;
    const text = cardText(card);
    expect(text).toContain(
      'Override (this server): IMAP.Proxy\\ImapProxyTestMonitor Enabled = 0 for build 15.2.1258.12 (made for another build: after the cumulative update it no longer applies, hides this monitor)',
    );
    expect(text).toContain(
      'Override (global): IMAP\\ImapCTPMonitor Enabled = 0 until Dec 1, 2026 14:00 (hides this monitor)',
    );
    expect(text).toContain('Shown as Disabled by Get-ServerHealth: IMAP\\ImapCTPMonitor');
    // The stale override does not hide the monitor: it is back and failing.
    expect(card.title).toBe('IMAP on SERVER1: problem confirmed');
    expect(text).toContain('ImapProxyTestMonitor');
    expect(card.facts[0]).toEqual({
      label: 'Server',
      value: 'SERVER1: Exchange 2019, build 15.2.1544.4 · ⚠ out of support since Oct 14, 2025',
    });
  });

  it('overrides that cannot be read in time are said so, never shown as none', async () => {
    const h = await createHarness('override-hides-monitor', {
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'get-monitoring-overrides')
          throw new GatewayError('timeout', 'Get-ServerMonitoringOverride took too long');
        return next();
      }),
    });
    await h.ask("what's wrong with IMAP on server1?");
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain('Monitoring overrides: not read (timed out)');
    expect(text).not.toContain('Override (');
  });

  it('a noise alert: the time-boxed override is an approved step, ends by itself, and its end is in the timeline', async () => {
    const h = await createHarness('imap-disabled-noise');
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis')!;
    const offer = card.actions.find((a) => a.label.startsWith('Quieten'))!;
    expect(offer.label).toBe('Quieten IMAP.Proxy\\ImapProxyTestMonitor on SERVER1 for 24 h (override, ends by itself)');
    await h.click(offer.id, h.people.alice);
    expect(h.gateway.ran.some((op) => op.kind === 'add-monitoring-override')).toBe(false);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    expect(h.gateway.ran).toContainEqual({
      kind: 'add-monitoring-override',
      server: 'SERVER1',
      healthSet: 'IMAP.Proxy',
      item: 'ImapProxyTestMonitor',
      itemType: 'Monitor',
      targetResource: 'IMAP',
      durationMinutes: 1440,
    });
    const health = await h.gateway.run({ kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP.Proxy'] });
    expect(health.find((r) => r.monitor === 'ImapProxyTestMonitor')?.alertValue).toBe('Disabled');
    expect(cardText(h.lastCard('diagnosis'))).toContain('It ends by itself; its end is recorded in the timeline.');

    // A day later the lab has dropped it; the timer records that in the timeline.
    h.clock.advance(24 * 60 * 60_000 + 1000);
    await h.engine.tick();
    const listed = await h.gateway.run({
      kind: 'get-monitoring-overrides',
      server: 'SERVER1',
      healthSets: ['IMAP.Proxy'],
    });
    expect(listed.overrides).toEqual([]);
    const [incident] = await h.store.listIncidents(1);
    const t = createTranslator(join(root, 'locales')).for('en');
    const lines = buildTimeline(t, await h.store.readAudit({ incidentId: incident!.id })).map((l) => l.text);
    expect(lines.some((l) => l.includes('override IMAP.Proxy\\ImapProxyTestMonitor on SERVER1 ended by itself'))).toBe(
      true,
    );
    expect(cardText(h.lastCard('diagnosis'))).toMatch(
      /The override on SERVER1 \(IMAP\.Proxy\\ImapProxyTestMonitor\) ended by itself at/,
    );
  });

  it('the override lasts no longer than the policy allows', async () => {
    const { policy } = await loadPolicyFile(join(root, 'config/lab.yaml'), { expiryMinutes: 15 });
    const h = await createHarness('imap-disabled-noise', { overrides: { policy: { ...policy, maxOverrideHours: 4 } } });
    await h.ask("what's wrong with IMAP on server1?");
    const offer = h.lastCard('diagnosis')!.actions.find((a) => a.label.startsWith('Quieten'))!;
    expect(offer.label).toBe('Quieten IMAP.Proxy\\ImapProxyTestMonitor on SERVER1 for 4 h (override, ends by itself)');
    await h.click(offer.id, h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    expect(h.gateway.ran).toContainEqual(
      expect.objectContaining({ kind: 'add-monitoring-override', durationMinutes: 240 }),
    );
  });

  it('is not offered for an alert that is not noise', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    expect(h.lastCard('diagnosis')!.actions.some((a) => a.label.startsWith('Quieten'))).toBe(false);
  });
});
