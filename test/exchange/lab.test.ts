import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Runbook } from '../../src/core/index.ts';
import { systemClock } from '../../src/core/index.ts';
import { createLabGateway, listScenarios } from '../../src/exchange/lab/index.ts';
import { loadRunbooks } from '../../src/runbooks/index.ts';
import { gatewayContract } from './contract/gateway-contract.ts';

const root = join(import.meta.dirname, '../..');
const scenariosDir = join(root, 'config/lab-scenarios');
let runbooks: readonly Runbook[];
beforeAll(async () => {
  runbooks = (await loadRunbooks(join(root, 'runbooks'))).runbooks;
});

const lab = (scenario: string, extra: { stateFile?: string; latency?: 'none' | 'realistic' } = {}) =>
  createLabGateway({ runbooks, scenariosDir, clock: systemClock, latency: 'none', scenario, ...extra });

gatewayContract('lab', async () => ({
  gateway: await lab('imap-backend-hang'),
  probe: { server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' },
}));

describe('the lab organisation', () => {
  it('lists every scenario with a title', async () => {
    const ids = (await listScenarios(scenariosDir)).map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'healthy',
        'imap-backend-hang',
        'imap-transient',
        'ecp-apppool',
        'ecp-iisreset',
        'imap-unfixable',
      ]),
    );
  });

  it('refuses an unknown scenario and names the known ones', async () => {
    await expect(lab('nope')).rejects.toThrow(/unknown lab scenario "nope"; known: .*imap-backend-hang/);
  });

  it('back-end hang: the CTP probe fails on SERVER1 naming MBX1, and restarting IMAP4BE on MBX1 mends it', async () => {
    const g = await lab('imap-backend-hang');
    const probe = await g.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' });
    expect(probe.resultType).toBe('Failed');
    expect(probe.error).toContain('_Mbx:MBX1.contoso.com');
    // The wrong server or the wrong service changes nothing.
    await g.run({ kind: 'restart-service', server: 'SERVER1', service: 'MSExchangeIMAP4' });
    expect(
      (await g.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' })).resultType,
    ).toBe('Failed');
    await g.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    expect(
      (await g.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' })).resultType,
    ).toBe('Succeeded');
    const rows = await g.run({ kind: 'get-server-health', server: 'MBX1' });
    expect(rows.every((r) => r.alertValue === 'Healthy')).toBe(true);
  });

  it('transient: Get-ServerHealth still alerts but the probe succeeds', async () => {
    const g = await lab('imap-transient');
    const rows = await g.run({ kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] });
    expect(rows.find((r) => r.monitor === 'ImapCTPMonitor')?.alertValue).toBe('Unhealthy');
    expect(
      (await g.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' })).resultType,
    ).toBe('Succeeded');
  });

  it('iisreset scenario: recycling the pool is not enough, IISReset is; a server restart would be too', async () => {
    const g = await lab('ecp-iisreset');
    const run = () =>
      g.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'ECP.Proxy', probe: 'ECPProxyTestProbe' });
    await g.run({ kind: 'recycle-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' });
    expect((await run()).resultType).toBe('Failed');
    await g.run({ kind: 'iis-reset', server: 'SERVER1' });
    expect((await run()).resultType).toBe('Succeeded');
  });

  it('moves active databases off a server, blocks activation there, and allows it again', async () => {
    const g = await lab('healthy');
    const mounted = async (server: string) =>
      (await g.run({ kind: 'get-database-copy-status', server }))
        .filter((c) => c.status === 'Mounted')
        .map((c) => c.database);
    expect(await mounted('SERVER1')).toEqual(['DB02']);
    const out = await g.run({ kind: 'set-database-activation', server: 'SERVER1', mode: 'move-now' });
    expect(out).toMatchObject({ ok: true });
    expect(await mounted('SERVER1')).toEqual([]);
    expect(await mounted('SERVER2')).toEqual(['DB02', 'DB03']);
    // DB01's passive copy is on SERVER1, which is blocked now: moving MBX1's databases fails honestly.
    const stuck = await g.run({ kind: 'set-database-activation', server: 'MBX1', mode: 'move-now' });
    expect(stuck).toMatchObject({ ok: false });
    expect(stuck.detail).toContain('DB01');
    await g.run({ kind: 'set-database-activation', server: 'SERVER1', mode: 'allow' });
    expect(await mounted('SERVER1')).toEqual([]);
  });

  it('a state file carries changes between processes, and a new scenario starts over', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'hb-lab-')), 'lab.json');
    const first = await lab('imap-backend-hang', { stateFile });
    await first.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    const second = await createLabGateway({ runbooks, scenariosDir, clock: systemClock, stateFile });
    expect(
      (await second.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' }))
        .resultType,
    ).toBe('Succeeded');
    const third = await lab('imap-backend-hang', { stateFile });
    expect(
      (await third.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' }))
        .resultType,
    ).toBe('Succeeded');
    const fresh = await lab('ecp-apppool', { stateFile });
    expect((await fresh.run({ kind: 'get-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' })).status).toBe(
      'Stopped',
    );
  });

  it('a state file damaged while running makes reads fail, instead of quietly starting the scenario over', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'hb-lab-')), 'lab.json');
    const gateway = await lab('imap-backend-hang', { stateFile });
    await gateway.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    writeFileSync(stateFile, '{ not json');
    await expect(gateway.run({ kind: 'get-server-health', server: 'MBX1' })).rejects.toMatchObject({
      name: 'GatewayError',
      code: 'bad-output',
    });
    expect((await gateway.health()).ok).toBe(false);
    // A new start replaces the damaged file with the scenario's beginning.
    const restarted = await lab('imap-backend-hang', { stateFile });
    expect((await restarted.health()).ok).toBe(true);
  });

  it('concurrent changes through one state file are all kept', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'hb-lab-')), 'lab.json');
    const gateways = await Promise.all([1, 2, 3, 4].map(() => lab('healthy', { stateFile })));
    await Promise.all(
      gateways.map((g, i) =>
        g.run({
          kind: 'set-protocol-logging',
          server: ['SERVER1', 'SERVER2', 'MBX1', 'SERVER1'][i]!,
          protocol: i === 3 ? 'pop' : 'imap',
          enabled: true,
        }),
      ),
    );
    const check = await lab('healthy', { stateFile });
    for (const [server, protocol] of [
      ['SERVER1', 'imap'],
      ['SERVER2', 'imap'],
      ['MBX1', 'imap'],
      ['SERVER1', 'pop'],
    ] as const)
      expect((await check.run({ kind: 'get-protocol-logging', server, protocol })).enabled).toBe(true);
  });

  it('realistic latency: probes take 200 to 400 ms and a shorter timeout gives a timeout error', async () => {
    const g = await lab('healthy', { latency: 'realistic' });
    const r = await g.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' });
    expect(r.durationMs).toBeGreaterThanOrEqual(200);
    expect(r.durationMs).toBeLessThanOrEqual(400);
    await expect(
      g.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' }, { timeoutMs: 20 }),
    ).rejects.toMatchObject({ code: 'timeout' });
  });
});

describe('the lab organisation, as careful recovery needs it', () => {
  it('services carry a start type; a disabled one cannot be restarted', async () => {
    const g = await lab('imap-disabled-noise');
    expect(await g.run({ kind: 'get-service', server: 'SERVER1', service: 'MSExchangeIMAP4' })).toMatchObject({
      status: 'Stopped',
      startType: 'Disabled',
    });
    expect(await g.run({ kind: 'get-service', server: 'SERVER2', service: 'MSExchangeIMAP4' })).toMatchObject({
      status: 'Running',
      startType: 'Automatic',
    });
    expect(await g.run({ kind: 'restart-service', server: 'SERVER1', service: 'MSExchangeIMAP4' })).toEqual({
      ok: false,
      detail: 'MSExchangeIMAP4 on SERVER1 is disabled and cannot be started',
      say: { code: 'serviceDisabled', vars: { service: 'MSExchangeIMAP4', server: 'SERVER1' } },
    });
  });

  it('a component set Inactive by one requester stays Inactive until that requester sets it Active, across a restart', async () => {
    const g = await lab('ecp-component-inactive');
    const ecp = async () =>
      (await g.run({ kind: 'get-server-state', server: 'SERVER1' })).components.find((c) => c.component === 'EcpProxy');
    expect(await ecp()).toMatchObject({
      state: 'Inactive',
      requesters: [{ requester: 'HealthAPI', state: 'Inactive' }],
    });
    expect(
      (
        await g.run({
          kind: 'set-server-component-state',
          server: 'SERVER1',
          component: 'EcpProxy',
          state: 'Active',
          requester: 'Functional',
        })
      ).ok,
    ).toBe(false);
    expect((await ecp())?.state).toBe('Inactive');
    expect(
      (
        await g.run({
          kind: 'set-server-component-state',
          server: 'SERVER1',
          component: 'EcpProxy',
          state: 'Active',
          requester: 'HealthAPI',
        })
      ).ok,
    ).toBe(true);
    expect((await ecp())?.state).toBe('Active');
  });

  it('knows a standalone Mailbox server when the scenario adds one', async () => {
    const g = await lab('standalone-mailbox');
    expect((await g.listServers()).find((s) => s.name === 'MBX2')).toMatchObject({ roles: ['Mailbox'], dag: null });
    expect(await g.run({ kind: 'get-restart-readiness', server: 'MBX2' })).toEqual({
      server: 'MBX2',
      members: [],
      copies: [{ database: 'DB05', server: 'MBX2', status: 'Mounted', activationPreference: 1 }],
    });
  });
});
