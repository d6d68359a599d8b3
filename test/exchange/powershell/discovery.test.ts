/**
 * Discovery (get-monitoring-items): the parser against a fixture shaped like the script's answer,
 * the gateway's refusal of names that are not health-set names, and the lab's answer, which
 * differs by Exchange version as real servers do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerInfo } from '../../../src/core/index.ts';
import { GatewayError } from '../../../src/core/index.ts';
import { readAnswer } from '../../../src/exchange/powershell/envelope.ts';
import { parseResult } from '../../../src/exchange/powershell/parse.ts';
import { checkValues } from '../../../src/exchange/powershell/request.ts';
import { SCRIPTS } from '../../../src/exchange/powershell/scripts.ts';
import { createLabGateway } from '../../../src/exchange/lab/index.ts';
import { loadRunbooks } from '../../../src/runbooks/index.ts';
import { ManualClock } from '../../engine/harness.ts';

const root = join(import.meta.dirname, '../../..');
const EX19: ServerInfo = { name: 'EX19', fqdn: 'ex19.contoso.com', roles: ['Mailbox', 'ClientAccess'] };
const timing = { startedAt: new Date('2026-11-24T14:00:00Z'), endedAt: new Date('2026-11-24T14:00:03Z') };
const parse = (data: unknown, healthSets?: string[]) =>
  parseResult(
    { kind: 'get-monitoring-items', server: 'EX19', ...(healthSets ? { healthSets } : {}) },
    data,
    EX19,
    timing,
  );

describe('get-monitoring-items, parsed', () => {
  it('reads sets and items; an item type it does not know is Other, an empty target resource absent', () => {
    const { envelope } = readAnswer(
      readFileSync(join(import.meta.dirname, 'fixtures/get-monitoring-items.json'), 'utf8'),
      '',
    );
    const r = parse(envelope!.ok ? envelope!.data : undefined);
    expect(r.healthSets).toEqual(['OWA', 'OutlookMapiHttp']);
    expect(r.items).toContainEqual({
      healthSet: 'OWA',
      name: 'OwaCtpMonitor',
      itemType: 'Monitor',
      targetResource: 'OWA',
    });
    expect(r.items).toContainEqual({ healthSet: 'OWA', name: 'OwaCtpRestart', itemType: 'Responder' });
    expect(r.items).toContainEqual({
      healthSet: 'OutlookMapiHttp',
      name: 'OutlookMapiHttpCtpMonitor',
      itemType: 'Monitor',
      targetResource: 'OutlookMapiHttp',
    });
    expect(r.items).toContainEqual({ healthSet: 'OutlookMapiHttp', name: 'MapiHttpMaintenance', itemType: 'Other' });
  });

  it('counts a set that has items as reported even when the health report list is missing', () => {
    const r = parse(
      {
        HealthSets: null,
        Items: [{ HealthSetName: 'Calendaring', Name: 'CalendarSharingMonitor', ItemType: 'Monitor' }],
      },
      ['OWA'],
    );
    expect(r.healthSets).toEqual(['OWA', 'Calendaring']);
  });

  it('takes an item without a name, or no answer at all, as unreadable (bad-output), never as "no items"', () => {
    expect(() => parse({ HealthSets: ['OWA'], Items: [{ HealthSetName: 'OWA', ItemType: 'Monitor' }] })).toThrow(
      GatewayError,
    );
    expect(() => parse([])).toThrow(expect.objectContaining({ code: 'bad-output' }));
  });

  it('refuses a health-set value that is not a name before any shell sees it, and drops empty names in the script', () => {
    expect(() =>
      checkValues({ kind: 'get-monitoring-items', server: 'SERVER1', healthSets: ["OWA'; Restart-Computer"] }),
    ).toThrow(expect.objectContaining({ code: 'not-allowed' }));
    expect(() => checkValues({ kind: 'get-monitoring-items', server: 'SERVER1', healthSets: 'OWA' as never })).toThrow(
      expect.objectContaining({ code: 'not-allowed' }),
    );
    expect(() =>
      checkValues({ kind: 'get-monitoring-items', server: 'SERVER1', healthSets: ['OWA.Proxy'] }),
    ).not.toThrow();
    expect(SCRIPTS['get-monitoring-items']).toMatch(/\$p\.healthSets \| Where-Object \{ \$_ \}/);
    expect(SCRIPTS['get-monitoring-items']).toMatch(
      /Get-MonitoringItemIdentity -Identity \$set -Server \$p\.server -ErrorAction Stop/,
    );
  });
});

describe('get-monitoring-items in the lab', () => {
  const lab = async () => {
    const { runbooks } = await loadRunbooks(join(root, 'runbooks'), { localesDir: join(root, 'locales') });
    return createLabGateway({
      runbooks,
      scenario: 'exchange-2019-beside-2013',
      scenariosDir: join(root, 'config/lab-scenarios'),
      clock: new ManualClock(),
      latency: 'none',
    });
  };

  it('an Exchange 2019 server reports sets the 2013 articles lack, and no UM', async () => {
    const g = await lab();
    const r = await g.run({ kind: 'get-monitoring-items', server: 'EX2019' });
    expect(r.healthSets).toEqual(expect.arrayContaining(['OutlookMapiHttp', 'Calendaring', 'OWA', 'IMAP']));
    expect(r.healthSets).not.toContain('UM');
    expect(r.items).toContainEqual(
      expect.objectContaining({ healthSet: 'OutlookMapiHttp', name: 'OutlookMapiHttpCtpMonitor', itemType: 'Monitor' }),
    );
    // Get-ServerHealth agrees: the new set has monitors, UM has none.
    const health = await g.run({ kind: 'get-server-health', server: 'EX2019', healthSets: ['OutlookMapiHttp', 'UM'] });
    expect(health.map((h) => h.healthSet)).toEqual(expect.arrayContaining(['OutlookMapiHttp']));
    expect(health.some((h) => h.healthSet === 'UM')).toBe(false);
  });

  it('a 2013 server reports UM and not the newer sets; the asked sets narrow the items, not the list of sets', async () => {
    const g = await lab();
    const r = await g.run({ kind: 'get-monitoring-items', server: 'SERVER1', healthSets: ['owa'] });
    expect(r.healthSets).toContain('UM');
    expect(r.healthSets).not.toContain('OutlookMapiHttp');
    expect(new Set(r.items.map((i) => i.healthSet))).toEqual(new Set(['OWA']));
    expect(r.items).toContainEqual(expect.objectContaining({ name: 'OwaCtpProbe', itemType: 'Probe' }));
  });

  it('a probe of a set without a runbook can be rerun; one the server does not have cannot', async () => {
    const g = await lab();
    expect(
      await g.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'OWA', probe: 'OwaCtpProbe' }),
    ).toMatchObject({ resultType: 'Succeeded' });
    await expect(
      g.run({ kind: 'invoke-probe', server: 'EX2019', healthSet: 'UM', probe: 'UMCallRouterTestProbe' }),
    ).rejects.toThrow(GatewayError);
  });
});
