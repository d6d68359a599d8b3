/**
 * The cache of what the servers report: refreshed by the injected clock (no timers), one refresh
 * at a time, an unreadable server kept as it was last read and listed as unreadable.
 */
import { describe, expect, it } from 'vitest';
import type { ExchangeGateway } from '../../src/core/index.ts';
import { GatewayError } from '../../src/core/index.ts';
import { createDiscovery } from '../../src/core/engine/index.ts';
import { createHarness, interceptRun, ManualClock } from './harness.ts';

const lab = async (failing?: { server: string; code: 'timeout' | 'permission-denied' }) => {
  let fail = failing;
  const h = await createHarness('exchange-2019-beside-2013', {
    wrapGateway: interceptRun((op, next) =>
      fail && op.kind === 'get-monitoring-items' && op.server === fail.server
        ? Promise.reject(new GatewayError(fail.code, 'no answer'))
        : next(),
    ),
  });
  return { h, gateway: h.gateway as ExchangeGateway, setFailing: (f: typeof failing) => void (fail = f) };
};

describe('discovered health sets', () => {
  it('knows nothing before the first refresh and never reads Exchange to say so', async () => {
    const { h, gateway } = await lab();
    const d = createDiscovery({ gateway, clock: h.clock });
    expect(d.current()).toEqual({ healthSets: [], items: [], unreadable: [] });
    expect(d.reportedOn('EX2019')).toBeUndefined();
    expect(h.gateway.ran).toEqual([]);
  });

  it('reads every server once per interval of the injected clock, and concurrent callers share one refresh', async () => {
    const { h, gateway } = await lab();
    const d = createDiscovery({ gateway, clock: h.clock, refreshMs: 60_000 });
    const [a, b] = await Promise.all([d.refreshIfDue(), d.refreshIfDue()]);
    expect(a).toBe(b);
    const reads = () => h.gateway.ran.filter((op) => op.kind === 'get-monitoring-items').length;
    expect(reads()).toBe(4);
    expect(a.healthSets.find((s) => s.name === 'Calendaring')?.servers).toEqual(['EX2019']);
    expect(a.healthSets.find((s) => s.name === 'UM')?.servers.toSorted()).toEqual(['SERVER1', 'SERVER2']);
    expect(a.items).toContainEqual({ healthSet: 'OWA', name: 'OwaCtpMonitor', itemType: 'Monitor' });
    h.clock.advance(59_000);
    await d.refreshIfDue();
    expect(reads()).toBe(4);
    h.clock.advance(1_000);
    await d.refreshIfDue();
    expect(reads()).toBe(8);
  });

  it('an unreadable server keeps what it reported before and is listed as unreadable', async () => {
    const { h, gateway, setFailing } = await lab();
    const d = createDiscovery({ gateway, clock: h.clock });
    await d.refresh();
    setFailing({ server: 'EX2019', code: 'timeout' });
    const again = await d.refresh();
    expect(again.unreadable).toEqual([{ server: 'EX2019', code: 'timeout' }]);
    expect(again.healthSets.find((s) => s.name === 'Calendaring')?.servers).toEqual(['EX2019']);
  });

  it('an unreadable server that was never read is not taken for one without health sets', async () => {
    const { h, gateway } = await lab({ server: 'EX2019', code: 'permission-denied' });
    const d = createDiscovery({ gateway, clock: h.clock });
    const r = await d.refresh();
    expect(r.unreadable).toEqual([{ server: 'EX2019', code: 'permission-denied' }]);
    expect(d.reportedOn('EX2019')).toBeUndefined();
    expect(d.reportedOn('SERVER1')).toContain('OWA');
  });

  it("the engine's tick starts a refresh when one is due, without waiting for it", async () => {
    const h = await createHarness('exchange-2019-beside-2013', { discover: true });
    const d = h.engine.context.discovery!;
    await h.engine.tick();
    // The refresh the tick started; joining it shows it ran.
    await d.refreshIfDue();
    expect(d.current().at).toBe(new ManualClock().now().toISOString());
    const reads = h.gateway.ran.filter((op) => op.kind === 'get-monitoring-items').length;
    await h.engine.tick();
    await d.refreshIfDue();
    expect(h.gateway.ran.filter((op) => op.kind === 'get-monitoring-items').length).toBe(reads);
  });
});
