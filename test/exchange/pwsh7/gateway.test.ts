/**
 * The PowerShell gateway on a real PowerShell 7 with the stand-in Exchange module: the gateway
 * contract (a third implementation beside the lab and the stand-in executable), every operation
 * of the catalogue once on success and once on each failure the real cmdlet can produce, and a
 * hung cmdlet killed at the timeout.
 */
import { describe, expect, it } from 'vitest';
import type { GatewayOperationKind, Operation } from '../../../src/core/index.ts';
import { GATEWAY_OPERATION_KINDS, GatewayError } from '../../../src/core/index.ts';
import { gatewayContract } from '../contract/gateway-contract.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { standInExchange } from '../../fixtures/exchange-module/module.ts';
import type { InjectedFault } from '../../fixtures/exchange-module/module.ts';
import { running } from '../../../src/exchange/powershell/kill-tree.ts';
import { onModule, realGateway } from './helpers.ts';
import { unsaid } from '../../support/outcome.ts';

const pwsh = pwshPath();
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

/** Each operation, the cmdlet whose failure it must report, and what a success looks like. */
const CATALOGUE: Readonly<
  Record<GatewayOperationKind, { op: Operation; cmdlet: string; success: (r: unknown) => void }>
> = {
  'get-server-health': {
    op: { kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] },
    cmdlet: 'Get-ServerHealth',
    success: (r) =>
      expect(r).toContainEqual(
        expect.objectContaining({
          monitor: 'ImapCTPMonitor',
          healthSet: 'IMAP',
          alertValue: 'Unhealthy',
          firstAlertObservedTime: expect.any(String),
        }),
      ),
  },
  'invoke-probe': {
    op: { kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' },
    cmdlet: 'Invoke-MonitoringProbe',
    success: (r) =>
      expect(r).toMatchObject({
        resultType: 'Failed',
        error: expect.stringContaining('_Mbx:MBX1.contoso.com'),
        durationMs: 1200,
      }),
  },
  'get-service': {
    op: { kind: 'get-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' },
    cmdlet: 'Invoke-Command',
    success: (r) =>
      expect(r).toEqual({
        server: 'MBX1',
        service: 'MSExchangeIMAP4BE',
        displayName: 'Microsoft Exchange IMAP4 Backend',
        status: 'Running',
        startType: 'Automatic',
      }),
  },
  'restart-service': {
    op: { kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' },
    cmdlet: 'Invoke-Command',
    success: (r) =>
      expect(unsaid(r)).toEqual({
        ok: true,
        detail: expect.stringMatching(/^MSExchangeIMAP4BE restarted on MBX1 \(new process since 20\d\d-/),
      }),
  },
  'get-app-pool': {
    op: { kind: 'get-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' },
    cmdlet: 'Invoke-Command',
    success: (r) => expect(r).toEqual({ server: 'SERVER1', appPool: 'MSExchangeECPAppPool', status: 'Started' }),
  },
  'recycle-app-pool': {
    op: { kind: 'recycle-app-pool', server: 'SERVER1', appPool: 'MSExchangeECPAppPool' },
    cmdlet: 'Invoke-Command',
    success: (r) => expect(unsaid(r)).toEqual({ ok: true, detail: 'MSExchangeECPAppPool recycled on SERVER1' }),
  },
  'iis-reset': {
    op: { kind: 'iis-reset', server: 'SERVER2' },
    cmdlet: 'Invoke-Command',
    success: (r) => expect(unsaid(r)).toEqual({ ok: true, detail: 'IIS restarted on SERVER2' }),
  },
  'restart-server': {
    op: { kind: 'restart-server', server: 'SERVER2' },
    cmdlet: 'Invoke-Command',
    success: (r) => expect(r).toMatchObject({ ok: true }),
  },
  'set-database-activation': {
    op: { kind: 'set-database-activation', server: 'SERVER1', mode: 'move-now' },
    cmdlet: 'Set-MailboxServer',
    // The first run finds Unrestricted and sets Blocked; the run with a warning finds what the first set.
    success: (r) =>
      expect(r).toMatchObject({ ok: true, previousPolicy: expect.stringMatching(/^(Unrestricted|Blocked)$/) }),
  },
  'get-database-copy-status': {
    op: { kind: 'get-database-copy-status', server: 'SERVER1' },
    cmdlet: 'Get-MailboxDatabaseCopyStatus',
    // set-database-activation ran before it and moved DB02 to SERVER2.
    success: (r) =>
      expect(r).toContainEqual(
        expect.objectContaining({ database: 'DB02', server: 'SERVER1', status: 'Healthy', activationPreference: 1 }),
      ),
  },
  'get-protocol-logging': {
    op: { kind: 'get-protocol-logging', server: 'SERVER1', protocol: 'imap' },
    cmdlet: 'Get-ImapSettings',
    success: (r) => expect(r).toMatchObject({ enabled: false, logPath: expect.stringContaining('Imap4') }),
  },
  'set-protocol-logging': {
    op: { kind: 'set-protocol-logging', server: 'SERVER1', protocol: 'pop', enabled: true },
    cmdlet: 'Set-PopSettings',
    success: (r) => expect(r).toMatchObject({ ok: true, detail: expect.stringContaining('POP protocol logging on') }),
  },
  'get-restart-readiness': {
    op: { kind: 'get-restart-readiness', server: 'MBX1' },
    cmdlet: 'Get-MailboxServer',
    // The other DAG members, SERVER1 blocked (move-now and policy Blocked) by set-database-activation above, and every copy of MBX1's databases.
    success: (r) =>
      expect(r).toMatchObject({
        server: 'MBX1',
        dag: 'DAG1',
        members: expect.arrayContaining([
          {
            server: 'SERVER1',
            activationPolicy: 'Blocked',
            activationDisabledAndMoveNow: true,
            serverWideOffline: 'Active',
          },
          {
            server: 'SERVER2',
            activationPolicy: 'Unrestricted',
            activationDisabledAndMoveNow: false,
            serverWideOffline: 'Active',
          },
        ]),
        copies: expect.arrayContaining([
          expect.objectContaining({
            server: 'MBX1',
            copyQueueLength: 0,
            replayQueueLength: 0,
            contentIndexState: 'Healthy',
          }),
        ]),
      }),
  },
  'redirect-messages': {
    op: { kind: 'redirect-messages', server: 'SERVER2', target: 'server1.contoso.com' },
    cmdlet: 'Redirect-Message',
    success: (r) =>
      expect(unsaid(r)).toEqual({ ok: true, detail: 'messages queued on SERVER2 redirected to server1.contoso.com' }),
  },
  'rebalance-databases': {
    op: { kind: 'rebalance-databases', server: 'SERVER1' },
    cmdlet: 'Move-ActiveMailboxDatabase',
    // DB02 prefers SERVER1 and was moved off by set-database-activation above: it comes back (then nothing is left to move).
    success: (r) =>
      expect(unsaid(r)).toEqual({
        ok: true,
        detail: expect.stringMatching(
          /^(moved back to SERVER1: DB02 \(from SERVER2\)|no database had to move back to SERVER1)$/,
        ),
      }),
  },
  'get-server-state': {
    op: { kind: 'get-server-state', server: 'SERVER1' },
    cmdlet: 'Get-ServerComponentState',
    success: (r) =>
      expect(r).toMatchObject({
        server: 'SERVER1',
        lastBootUpTime: expect.stringMatching(/^20\d\d-\d\d-\d\dT/),
        components: expect.arrayContaining([{ component: 'ServerWideOffline', state: 'Active', requesters: [] }]),
        servicesNotRunning: [],
        // set-database-activation above moved SERVER1's databases off and blocked its activation policy.
        activation: { policy: 'Blocked', disabledAndMoveNow: true },
      }),
  },
  'get-monitoring-mailboxes': {
    op: { kind: 'get-monitoring-mailboxes', server: 'SERVER1' },
    cmdlet: 'Get-Mailbox',
    success: (r) =>
      expect(r).toMatchObject({
        server: 'SERVER1',
        mailboxes: [{ name: expect.stringMatching(/^HealthMailbox[0-9a-f]{32}$/), database: expect.any(String) }],
        copies: expect.arrayContaining([expect.objectContaining({ server: 'SERVER1' })]),
      }),
  },
  'get-directory-servers': {
    op: { kind: 'get-directory-servers', server: 'SERVER1' },
    cmdlet: 'Get-ExchangeServer',
    success: (r) =>
      expect(r).toEqual({
        server: 'SERVER1',
        domainControllers: ['dc1.contoso.com', 'dc2.contoso.com'],
        globalCatalogs: ['dc1.contoso.com', 'dc2.contoso.com'],
      }),
  },
  // Issue 14's evidence reads; their content is tested on event XML fixtures in evidence-scripts.test.ts.
  'get-recovery-actions': {
    op: { kind: 'get-recovery-actions', server: 'SERVER1', sinceMinutes: 60 },
    cmdlet: 'Invoke-Command',
    success: (r) => expect(r).toEqual([]),
  },
  'get-probe-history': {
    op: { kind: 'get-probe-history', server: 'SERVER1', resultNames: ['ImapCTPProbe/IMAP'], sinceMinutes: 60 },
    cmdlet: 'Invoke-Command',
    success: (r) => expect(r).toEqual({ server: 'SERVER1', resultNames: ['ImapCTPProbe/IMAP'], entries: [] }),
  },
  'get-windows-events': {
    op: { kind: 'get-windows-events', server: 'SERVER1', sinceMinutes: 60 },
    cmdlet: 'Invoke-Command',
    success: (r) => expect(r).toEqual([]),
  },
  'get-monitoring-item-identity': {
    op: { kind: 'get-monitoring-item-identity', server: 'SERVER1', healthSet: 'IMAP' },
    cmdlet: 'Get-MonitoringItemIdentity',
    success: (r) =>
      expect(r).toContainEqual({
        server: 'SERVER1',
        healthSet: 'IMAP',
        itemType: 'Probe',
        name: 'ImapCTPProbe',
        targetResource: 'IMAP',
      }),
  },
  'get-queue': {
    op: { kind: 'get-queue', server: 'MBX1' },
    cmdlet: 'Get-Queue',
    success: (r) =>
      expect(r).toEqual({
        server: 'MBX1',
        queues: [
          {
            identity: 'MBX1\\Submission',
            deliveryType: 'Undefined',
            status: 'Ready',
            messageCount: 0,
            nextHopDomain: 'Submission',
          },
        ],
      }),
  },
  'test-service-health': {
    op: { kind: 'test-service-health', server: 'MBX1' },
    cmdlet: 'Test-ServiceHealth',
    success: (r) =>
      expect(r).toEqual({
        server: 'MBX1',
        roles: [{ role: 'Mailbox Server Role', requiredServicesRunning: true, servicesNotRunning: [] }],
      }),
  },
  'test-replication-health': {
    op: { kind: 'test-replication-health', server: 'MBX1' },
    cmdlet: 'Test-ReplicationHealth',
    success: (r) =>
      expect(r).toMatchObject({
        server: 'MBX1',
        checks: expect.arrayContaining([
          { check: 'ReplayService', result: 'Passed' },
          { check: 'DBCopyFailed', result: 'Passed' },
        ]),
      }),
  },
  'get-dag-status': {
    op: { kind: 'get-dag-status', server: 'MBX1' },
    cmdlet: 'Get-DatabaseAvailabilityGroup',
    success: (r) =>
      expect(r).toMatchObject({
        server: 'MBX1',
        dag: 'DAG1',
        members: ['SERVER1', 'SERVER2', 'MBX1'],
        operationalServers: ['SERVER1', 'SERVER2', 'MBX1'],
        witnessServer: 'fs1.contoso.com',
      }),
  },
  'get-website': {
    op: { kind: 'get-website', server: 'SERVER1' },
    cmdlet: 'Invoke-Command',
    success: (r) =>
      expect(r).toEqual({
        server: 'SERVER1',
        sites: [
          {
            name: 'Default Web Site',
            state: 'Started',
            bindings: [
              { protocol: 'http', port: 80 },
              { protocol: 'https', port: 443 },
            ],
          },
          {
            name: 'Exchange Back End',
            state: 'Started',
            bindings: [
              { protocol: 'http', port: 81 },
              { protocol: 'https', port: 444 },
            ],
          },
        ],
      }),
  },
  'get-monitoring-items': {
    op: { kind: 'get-monitoring-items', server: 'SERVER1' },
    cmdlet: 'Get-HealthReport',
    success: (r) =>
      expect(r).toMatchObject({
        server: 'SERVER1',
        healthSets: expect.arrayContaining(['IMAP', 'OWA', 'ECP.Proxy']),
        items: expect.arrayContaining([
          { healthSet: 'OWA', name: 'OwaCtpMonitor', itemType: 'Monitor', targetResource: 'OWA' },
          { healthSet: 'POP', name: 'PopCTPProbe', itemType: 'Probe', targetResource: 'POP' },
        ]),
      }),
  },
  'set-server-component-state': {
    op: {
      kind: 'set-server-component-state',
      server: 'SERVER2',
      component: 'HubTransport',
      state: 'Draining',
      requester: 'Maintenance',
    },
    cmdlet: 'Set-ServerComponentState',
    success: (r) =>
      expect(unsaid(r)).toEqual({ ok: true, detail: 'HubTransport is Draining on SERVER2 (requester Maintenance)' }),
  },
  // Issue 14: cluster node and monitoring overrides.
  'get-cluster-node': {
    op: { kind: 'get-cluster-node', server: 'SERVER1' },
    cmdlet: 'Get-MailboxServer',
    success: (r) => expect(r).toEqual({ server: 'SERVER1', state: 'Up' }),
  },
  'set-cluster-node': {
    op: { kind: 'set-cluster-node', server: 'SERVER1', action: 'suspend' },
    cmdlet: 'Invoke-Command',
    success: (r) => expect(unsaid(r)).toEqual({ ok: true, detail: 'cluster node SERVER1 paused (Paused)' }),
  },
  'get-monitoring-overrides': {
    op: { kind: 'get-monitoring-overrides', server: 'SERVER1', healthSets: ['IMAP'] },
    cmdlet: 'Get-ServerMonitoringOverride',
    success: (r) => expect(r).toEqual({ server: 'SERVER1', overrides: [] }),
  },
  'add-monitoring-override': {
    op: {
      kind: 'add-monitoring-override',
      server: 'SERVER1',
      healthSet: 'IMAP',
      item: 'ImapCTPMonitor',
      itemType: 'Monitor',
      durationMinutes: 120,
    },
    cmdlet: 'Add-ServerMonitoringOverride',
    success: (r) =>
      expect(unsaid(r)).toEqual({
        ok: true,
        detail: expect.stringMatching(/^IMAP\\ImapCTPMonitor switched off on SERVER1 for 120 min \(until 20\d\d-/),
      }),
  },
};

describe('the PowerShell gateway in a real PowerShell 7 with the stand-in Exchange module', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  gatewayContract('powershell (real pwsh, stand-in Exchange module)', async () => ({
    gateway: await realGateway(pwsh, await standInExchange('imap-backend-hang')),
    probe: { server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' },
  }));

  it('runs every operation of the catalogue, on success and on an Exchange error, a warning and an empty answer', async () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual([...GATEWAY_OPERATION_KINDS].sort());
    const logs: { message: string; fields?: Record<string, unknown> }[] = [];
    const { exchange, gateway } = await onModule(
      pwsh,
      'imap-backend-hang',
      {},
      { log: (_l, message, fields) => logs.push({ message, ...(fields ? { fields } : {}) }) },
    );
    const error: InjectedFault = {
      kind: 'error',
      message: "The operation couldn't be performed because object 'x' couldn't be found on 'dc1.contoso.com'.",
      reason: 'ManagementObjectNotFoundException',
    };
    for (const kind of GATEWAY_OPERATION_KINDS) {
      const { op, cmdlet, success } = CATALOGUE[kind];
      const before = exchange.calls().length;
      success(await gateway.run(op as never));
      expect(
        exchange
          .calls()
          .slice(before)
          .map((c) => c.cmdlet),
      ).toContain(cmdlet);

      // An ErrorRecord from the cmdlet: -ErrorAction Stop in the script makes it end the script.
      exchange.inject(cmdlet, error);
      const err = await failure(gateway.run(op as never));
      expect(err, kind).toBeInstanceOf(GatewayError);
      expect(err, kind).toMatchObject({
        code: 'failed',
        message: expect.stringContaining("couldn't be found"),
        params: { server: op.server.toUpperCase() },
      });

      // A warning is logged and is no failure.
      exchange.inject(cmdlet, { kind: 'warning', message: `${cmdlet} is slow today` });
      success(await gateway.run(op as never));
      // A script that calls the cmdlet more than once (get-restart-readiness) logs the warning each time.
      expect(logs.at(-1)).toMatchObject({ message: 'Exchange printed warnings', fields: { operation: kind } });
      expect(new Set(logs.at(-1)!.fields!.warnings as string[]), kind).toEqual(new Set([`${cmdlet} is slow today`]));
      exchange.inject(cmdlet, undefined);
    }
    expect(gateway.stats()).toMatchObject({ started: 1, discarded: 0, timeouts: 0 });
  }, 120_000);

  it('reads an empty answer as no rows where Exchange may return none, and as unreadable where it must return one', async () => {
    const { exchange, gateway } = await onModule(pwsh);
    exchange.inject('Get-ServerHealth', { kind: 'empty' });
    expect(await gateway.run({ kind: 'get-server-health', server: 'SERVER1', healthSets: ['IMAP'] })).toEqual([]);
    exchange.inject('Get-MailboxDatabaseCopyStatus', { kind: 'empty' });
    expect(await gateway.run({ kind: 'get-database-copy-status', server: 'SERVER1' })).toEqual([]);
    exchange.inject('Invoke-MonitoringProbe', { kind: 'empty' });
    expect(
      await failure(gateway.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' })),
    ).toMatchObject({ code: 'bad-output' });
    // Issue 12's reads: nothing from Exchange is no component, no service and no DAG read, never "all well".
    exchange.inject('Get-ServerComponentState', { kind: 'empty' });
    expect(await failure(gateway.run({ kind: 'get-server-state', server: 'SERVER1' }))).toMatchObject({
      code: 'bad-output',
    });
    exchange.inject('Get-ServerComponentState', undefined);
    exchange.inject('Test-ServiceHealth', { kind: 'empty' });
    expect(await failure(gateway.run({ kind: 'get-server-state', server: 'SERVER1' }))).toMatchObject({
      code: 'bad-output',
    });
    exchange.inject('Get-MailboxServer', { kind: 'empty' });
    expect(await failure(gateway.run({ kind: 'get-restart-readiness', server: 'MBX1' }))).toMatchObject({
      message: expect.stringContaining('Exchange returned no mailbox server settings for MBX1'),
    });
    exchange.inject('Get-ExchangeServer', { kind: 'empty' });
    expect(await failure(gateway.run({ kind: 'get-directory-servers', server: 'SERVER1' }))).toMatchObject({
      code: 'bad-output',
    });
    exchange.inject('Get-ImapSettings', { kind: 'empty' });
    expect(
      await failure(gateway.run({ kind: 'get-protocol-logging', server: 'SERVER1', protocol: 'imap' })),
    ).toMatchObject({ code: 'bad-output' });
  });

  it('reports what the real cmdlets refuse: a service that is not installed, WinRM denied, an unknown probe', async () => {
    const { exchange, gateway } = await onModule(pwsh);
    // MSExchangeIMAP4 (the CAS service) is not installed on the Mailbox-only MBX1.
    expect(
      await failure(gateway.run({ kind: 'get-service', server: 'MBX1', service: 'MSExchangeIMAP4' })),
    ).toMatchObject({
      code: 'failed',
      message: expect.stringContaining("Cannot find any service with service name 'MSExchangeIMAP4'"),
    });
    expect(
      await failure(gateway.run({ kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'NoSuchProbe' })),
    ).toMatchObject({ code: 'failed', message: expect.stringContaining("'IMAP\\NoSuchProbe' couldn't be found") });
    exchange.change((s) => (s.winrmDenied = ['MBX1']));
    expect(
      await failure(gateway.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' })),
    ).toMatchObject({ code: 'permission-denied' });
    expect(exchange.calls().filter((c) => c.cmdlet === 'Stop-Service')).toEqual([]);
  });

  it('kills a pwsh whose cmdlet hangs at the timeout, replaces the shell, and serves the next operation', async () => {
    const { exchange, gateway } = await onModule(pwsh);
    await gateway.listServers();
    exchange.inject('Invoke-MonitoringProbe', { kind: 'hang' });
    const probe = { kind: 'invoke-probe', server: 'SERVER1', healthSet: 'IMAP', probe: 'ImapCTPProbe' } as const;
    const err = await failure(gateway.run(probe, { timeoutMs: 1500 }));
    expect(err).toMatchObject({ code: 'timeout', params: { server: 'SERVER1' } });
    const hung = exchange.calls().find((c) => c.cmdlet === 'Invoke-MonitoringProbe')!;
    // The PowerShell that ran the cmdlet, not only the `pwsh` launcher the gateway started.
    expect(running(hung.pid)).toBe(false);
    exchange.inject('Invoke-MonitoringProbe', undefined);
    // The replacement shell starts inside this operation's time (pwsh and the module loading): on
    // a machine busy with the rest of the suite that alone can take many seconds, so this probe
    // gets a long deadline of its own instead of the gateway's default.
    expect((await gateway.run(probe, { timeoutMs: 120_000 })).resultType).toBe('Failed');
    expect(gateway.stats()).toMatchObject({ timeouts: 1, started: 2 });
    expect(
      exchange
        .calls()
        .filter((c) => c.cmdlet === 'Invoke-MonitoringProbe')
        .at(-1)!.pid,
    ).not.toBe(hung.pid);
  }, 150_000);
});
