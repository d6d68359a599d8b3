/**
 * The operations a careful restart needs, through the real gateway path against the stand-in:
 * DAG membership and every copy of a server's databases, the server's state (boot time,
 * components with their requesters, services not running), and setting a component's state.
 */
import { describe, expect, it } from 'vitest';
import { contoso, fakeEnv } from '../../fixtures/fake-pwsh/org.ts';
import { SCRIPTS } from '../../../src/exchange/powershell/scripts.ts';
import { gatewayOn } from './helpers.ts';
import { unsaid } from '../../support/outcome.ts';

describe('restart readiness, server state and component state on the PowerShell gateway', () => {
  it("reads the DAG, the other members and every copy of the server's databases, with queues and index", async () => {
    const org = contoso('healthy');
    (org.copies as Record<string, unknown[]>).SERVER1!.push({
      Name: 'DB03\\SERVER1',
      DatabaseName: 'DB03',
      MailboxServer: 'SERVER1',
      Status: 'Healthy',
      ActivationPreference: 3,
      CopyQueueLength: '312',
      ReplayQueueLength: 4,
      ContentIndexState: 'Healthy',
    });
    org.mailboxServers = { MBX1: { DatabaseCopyAutoActivationPolicy: 'Blocked' } };
    const g = await gatewayOn(fakeEnv(org));
    const r = await g.run({ kind: 'get-restart-readiness', server: 'server2' });
    expect(r.server).toBe('SERVER2');
    expect(r.dag).toBe('DAG1');
    expect(r.members).toEqual([
      {
        server: 'SERVER1',
        activationPolicy: 'Unrestricted',
        activationDisabledAndMoveNow: false,
        serverWideOffline: 'Active',
      },
      { server: 'MBX1', activationPolicy: 'Blocked', activationDisabledAndMoveNow: false, serverWideOffline: 'Active' },
    ]);
    expect(r.copies.filter((c) => c.database === 'DB03')).toEqual([
      { database: 'DB03', server: 'MBX1', status: 'Healthy', activationPreference: 2 },
      {
        database: 'DB03',
        server: 'SERVER1',
        status: 'Healthy',
        activationPreference: 3,
        copyQueueLength: 312,
        replayQueueLength: 4,
        contentIndexState: 'Healthy',
      },
      { database: 'DB03', server: 'SERVER2', status: 'Mounted', activationPreference: 1 },
    ]);
  });

  it('says a server outside any DAG is standalone', async () => {
    const org = contoso('healthy');
    org.dags = { SERVER1: 'DAG1', SERVER2: 'DAG1' };
    const g = await gatewayOn(fakeEnv(org));
    const r = await g.run({ kind: 'get-restart-readiness', server: 'MBX1' });
    expect(r.dag).toBeUndefined();
    expect(r.members).toEqual([]);
  });

  it('reads boot time, components with who set them, and services not running; sets a component back Active', async () => {
    const org = contoso('healthy');
    org.bootTimes = { SERVER2: '/Date(1795510800000)/' };
    org.notRunning = { SERVER2: ['MSExchangeIMAP4'] };
    org.components = {
      SERVER2: [
        {
          Component: 'ImapProxy',
          State: 'Inactive',
          Requesters: [{ Requester: 'Maintenance', State: 'Inactive', Timestamp: '2026-11-24T09:12:00Z' }],
        },
      ],
    };
    const g = await gatewayOn(fakeEnv(org));
    const s = await g.run({ kind: 'get-server-state', server: 'SERVER2' });
    expect(s.lastBootUpTime).toBe(new Date(1795510800000).toISOString());
    expect(s.servicesNotRunning).toEqual(['MSExchangeIMAP4']);
    expect(s.components.find((c) => c.component === 'ImapProxy')).toEqual({
      component: 'ImapProxy',
      state: 'Inactive',
      requesters: [{ requester: 'Maintenance', state: 'Inactive', at: '2026-11-24T09:12:00.000Z' }],
    });
    expect(s.components.find((c) => c.component === 'ServerWideOffline')?.state).toBe('Active');

    // Another requester's Active does not lift Maintenance's Inactive: reported, not called done.
    expect(
      await g.run({
        kind: 'set-server-component-state',
        server: 'SERVER2',
        component: 'ImapProxy',
        state: 'Active',
        requester: 'Functional',
      }),
    ).toEqual({
      ok: false,
      detail: 'ImapProxy on SERVER2 is still Inactive: another requester holds it',
      say: { code: 'componentHeldByOther', vars: { component: 'ImapProxy', server: 'SERVER2', state: 'Inactive' } },
    });
    expect(
      await g.run({
        kind: 'set-server-component-state',
        server: 'SERVER2',
        component: 'ImapProxy',
        state: 'Active',
        requester: 'Maintenance',
      }),
    ).toEqual({
      ok: true,
      detail: 'ImapProxy is Active on SERVER2 (requester Maintenance)',
      say: {
        code: 'componentSet',
        vars: { component: 'ImapProxy', state: 'Active', server: 'SERVER2', requester: 'Maintenance' },
      },
    });
  });

  it('redirects queued messages to another server by its inventory name, and refuses a target that is not a name', async () => {
    const g = await gatewayOn(fakeEnv(contoso('healthy')));
    expect(
      unsaid(await g.run({ kind: 'redirect-messages', server: 'SERVER2', target: 'server1.contoso.com' })),
    ).toEqual({ ok: true, detail: 'messages queued on SERVER2 redirected to server1.contoso.com' });
    await expect(
      g.run({ kind: 'redirect-messages', server: 'SERVER2', target: 'x; Remove-Item C:\\' }),
    ).rejects.toMatchObject({ code: 'not-allowed' });
    expect(SCRIPTS['redirect-messages']).toMatch(
      /Redirect-Message -Server \$p\.server -Target \$p\.target -Confirm:\$false -ErrorAction Stop/,
    );
  });

  it('reads the monitoring mailboxes with every copy of their databases, and the directory servers in use', async () => {
    const org = contoso('healthy');
    org.monitoringMailboxes = { SERVER1: [{ Name: 'HealthMailbox0a1b', Database: 'DB02' }] };
    org.directoryServers = {
      SERVER1: { CurrentDomainControllers: ['dc7.contoso.com'], CurrentGlobalCatalogs: 'dc7.contoso.com' },
    };
    const g = await gatewayOn(fakeEnv(org));
    const boxes = await g.run({ kind: 'get-monitoring-mailboxes', server: 'SERVER1' });
    expect(boxes.mailboxes).toEqual([{ name: 'HealthMailbox0a1b', database: 'DB02' }]);
    expect(boxes.copies.map((c) => `${c.database}\\${c.server} ${c.status}`).sort()).toEqual([
      'DB02\\SERVER1 Mounted',
      'DB02\\SERVER2 Healthy',
    ]);
    expect(await g.run({ kind: 'get-directory-servers', server: 'SERVER1' })).toEqual({
      server: 'SERVER1',
      domainControllers: ['dc7.contoso.com'],
      globalCatalogs: ['dc7.contoso.com'],
    });
    expect(SCRIPTS['get-monitoring-mailboxes']).toMatch(
      /Get-Mailbox -Monitoring -ResultSize Unlimited -ErrorAction Stop/,
    );
    expect(SCRIPTS['get-directory-servers']).toMatch(
      /Get-ExchangeServer -Identity \$p\.server -Status -ErrorAction Stop/,
    );
  });

  it('refuses a component or requester that is not allowed before any shell runs', async () => {
    const g = await gatewayOn(fakeEnv(contoso('healthy')));
    await expect(
      g.run({
        kind: 'set-server-component-state',
        server: 'SERVER2',
        component: 'Everything' as never,
        state: 'Active',
        requester: 'Maintenance',
      }),
    ).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(
      g.run({
        kind: 'set-server-component-state',
        server: 'SERVER2',
        component: 'ImapProxy',
        state: 'Active',
        requester: 'Me' as never,
      }),
    ).rejects.toMatchObject({ code: 'not-allowed' });
  });

  it('scripts stop on errors and take every value from $p', () => {
    for (const name of ['get-restart-readiness', 'get-server-state', 'set-server-component-state'] as const) {
      const body = SCRIPTS[name];
      for (const cmdlet of body.match(
        /\b(Get|Set|Test)-(MailboxServer|ServerComponentState|ServiceHealth|MailboxDatabaseCopyStatus)\b[^\n|]*/g,
      ) ?? [])
        expect(cmdlet).toMatch(/-ErrorAction Stop/);
    }
    expect(SCRIPTS['set-server-component-state']).toMatch(
      /Set-ServerComponentState -Identity \$p\.server -Component \$p\.component -State \$p\.state -Requester \$p\.requester -ErrorAction Stop/,
    );
  });
});
