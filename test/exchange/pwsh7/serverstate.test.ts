/**
 * Issue 14's reads and writes in a real PowerShell 7, against the stand-in Exchange module: the
 * cluster node of a DAG member (and none outside a DAG), monitoring overrides (server and
 * global, by ApplyVersion and by Duration), and the time-boxed override, each answering as the
 * lab does for the same scenario, with parameter names as the cmdlet pages give them.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Clock, Operation, Runbook } from '../../../src/core/index.ts';
import { createLabGateway } from '../../../src/exchange/lab/index.ts';
import { loadRunbooks } from '../../../src/runbooks/index.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { onModule } from './helpers.ts';
import { unsaid } from '../../support/outcome.ts';

const pwsh = pwshPath();
const root = join(import.meta.dirname, '../../..');
// The stand-in ends Duration overrides by the wall clock, so both sides use it (whole minutes: the module keeps no milliseconds).
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const clock: Clock = { now: () => NOW, sleep: () => Promise.resolve() };
let runbooks: readonly Runbook[];
beforeAll(async () => {
  runbooks = (await loadRunbooks(join(root, 'runbooks'))).runbooks;
});

describe('issue 14 server-state operations in a real PowerShell 7 answer as the lab does', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  const cases: [string, Operation][] = [
    ['maintenance-left-on', { kind: 'get-cluster-node', server: 'SERVER2' }],
    ['maintenance-left-on', { kind: 'get-cluster-node', server: 'MBX1' }],
    ['standalone-mailbox', { kind: 'get-cluster-node', server: 'MBX2' }],
    [
      'override-hides-monitor',
      { kind: 'get-monitoring-overrides', server: 'SERVER1', healthSets: ['IMAP', 'IMAP.Proxy'] },
    ],
    ['override-hides-monitor', { kind: 'get-monitoring-overrides', server: 'SERVER2', healthSets: ['IMAP.Proxy'] }],
  ];
  for (const [scenario, op] of cases) {
    it(`${scenario}: ${op.kind} on ${op.server}`, async () => {
      const lab = await createLabGateway({
        runbooks,
        scenariosDir: join(root, 'config/lab-scenarios'),
        clock,
        latency: 'none',
        scenario,
      });
      const { gateway } = await onModule(pwsh, scenario, {}, {}, NOW);
      const fromLab = await lab.run(op as never);
      expect(await gateway.run(op as never)).toEqual(fromLab);
      await lab.close();
    }, 60_000);
  }

  it('override-hides-monitor: the stale ApplyVersion override and the global one arrive with their terms', async () => {
    const { gateway } = await onModule(pwsh, 'override-hides-monitor', {}, {}, NOW);
    const { overrides } = await gateway.run({
      kind: 'get-monitoring-overrides',
      server: 'SERVER1',
      healthSets: ['IMAP', 'IMAP.Proxy'],
    });
    expect(overrides).toEqual([
      expect.objectContaining({
        scope: 'server',
        itemType: 'Monitor',
        healthSet: 'IMAP.Proxy',
        item: 'ImapProxyTestMonitor',
        property: 'Enabled',
        value: '0',
        applyVersion: '15.2.1258.12',
        createdBy: 'CONTOSO\\jdoe',
      }),
      expect.objectContaining({
        scope: 'global',
        healthSet: 'IMAP',
        item: 'ImapCTPMonitor',
        expiresAt: new Date(NOW.getTime() + 10080 * 60_000).toISOString(),
      }),
    ]);
  });

  it('maintenance-left-on: Resume-ClusterNode, then Suspend-ClusterNode as its put-back, on the target', async () => {
    const { exchange, gateway } = await onModule(pwsh, 'maintenance-left-on', {}, {}, NOW);
    expect(await gateway.run({ kind: 'set-cluster-node', server: 'SERVER2', action: 'resume' })).toEqual({
      ok: true,
      detail: 'cluster node SERVER2 resumed (Up)',
      say: { code: 'clusterNodeResumed', vars: { server: 'SERVER2', state: 'Up' } },
    });
    expect(await gateway.run({ kind: 'get-cluster-node', server: 'SERVER2' })).toEqual({
      server: 'SERVER2',
      state: 'Up',
    });
    expect(unsaid(await gateway.run({ kind: 'set-cluster-node', server: 'SERVER2', action: 'suspend' }))).toEqual({
      ok: true,
      detail: 'cluster node SERVER2 paused (Paused)',
    });
    const cluster = exchange.calls().filter((c) => /ClusterNode$/.test(c.cmdlet) && c.cmdlet !== 'Get-ClusterNode');
    expect(cluster.map((c) => [c.cmdlet, c.parameters])).toEqual([
      ['Resume-ClusterNode', { Name: 'SERVER2', ComputerName: 'SERVER2' }],
      ['Suspend-ClusterNode', { Name: 'SERVER2', ComputerName: 'SERVER2' }],
    ]);
  });

  it('add-monitoring-override: -Duration as dd.hh:mm:ss, Enabled 0, and the new override is listed until it ends', async () => {
    const { exchange, gateway } = await onModule(pwsh, 'imap-disabled-noise', {}, {}, NOW);
    const outcome = await gateway.run({
      kind: 'add-monitoring-override',
      server: 'SERVER1',
      healthSet: 'IMAP.Proxy',
      item: 'ImapProxyTestMonitor',
      itemType: 'Monitor',
      targetResource: 'IMAP',
      durationMinutes: 90,
    });
    expect(outcome).toEqual({
      ok: true,
      detail: expect.stringMatching(
        /^IMAP\.Proxy\\ImapProxyTestMonitor\\IMAP switched off on SERVER1 for 90 min \(until 20\d\d-/,
      ),
      // Its end as an instant: the card writes it on its own clock.
      say: {
        code: 'overrideAdded',
        vars: {
          item: 'IMAP.Proxy\\ImapProxyTestMonitor\\IMAP',
          server: 'SERVER1',
          minutes: 90,
          until: expect.stringMatching(/^20\d\d-\d\d-\d\dT/),
        },
      },
    });
    expect(exchange.calls().find((c) => c.cmdlet === 'Add-ServerMonitoringOverride')!.parameters).toEqual({
      Identity: 'IMAP.Proxy\\ImapProxyTestMonitor\\IMAP',
      Server: 'SERVER1',
      ItemType: 'Monitor',
      PropertyName: 'Enabled',
      PropertyValue: '0',
      Duration: '0.01:30:00',
      Confirm: false,
      ErrorAction: 'Stop',
    });
    const { overrides } = await gateway.run({
      kind: 'get-monitoring-overrides',
      server: 'SERVER1',
      healthSets: ['IMAP.Proxy'],
    });
    expect(overrides).toEqual([
      expect.objectContaining({
        scope: 'server',
        item: 'ImapProxyTestMonitor',
        targetResource: 'IMAP',
        property: 'Enabled',
        value: '0',
        expiresAt: expect.any(String),
      }),
    ]);
  });

  it('add-monitoring-override: an answer that lists no override afterwards is no success', async () => {
    const { exchange, gateway } = await onModule(pwsh, 'imap-disabled-noise', {}, {}, NOW);
    exchange.inject('Add-ServerMonitoringOverride', { kind: 'empty' });
    expect(
      await gateway.run({
        kind: 'add-monitoring-override',
        server: 'SERVER1',
        healthSet: 'IMAP.Proxy',
        item: 'ImapProxyTestMonitor',
        itemType: 'Monitor',
        durationMinutes: 60,
      }),
    ).toEqual({
      ok: false,
      detail: 'no override for IMAP.Proxy\\ImapProxyTestMonitor on SERVER1 after Add-ServerMonitoringOverride',
      say: { code: 'overrideNotFound', vars: { item: 'IMAP.Proxy\\ImapProxyTestMonitor', server: 'SERVER1' } },
    });
  });
});
