/**
 * The restart and maintenance reads of issue 12 in a real PowerShell 7: the fixed scripts against
 * the stand-in Exchange module must answer what the lab answers for the same scenario at the same
 * moment (component requesters, DAG members, boot time, copies, health mailboxes, directory
 * servers), and the component write must report a requester that still holds a component.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Clock, Operation, Runbook } from '../../../src/core/index.ts';
import { COMPONENT_ALLOW_LIST } from '../../../src/core/index.ts';
import { createLabGateway } from '../../../src/exchange/lab/index.ts';
import { loadRunbooks } from '../../../src/runbooks/index.ts';
import { missingPrerequisite, pwshPath } from '../../support/prerequisites.ts';
import { callScript } from '../../../src/exchange/powershell/call.ts';
import { openSession } from '../../../src/exchange/powershell/session.ts';
import { PwshShell } from '../../../src/exchange/powershell/shell.ts';
import { EXCHANGE_MODULE, standInExchange } from '../../fixtures/exchange-module/module.ts';
import { ENDPOINTS, onModule } from './helpers.ts';
import { unsaid } from '../../support/outcome.ts';

const pwsh = pwshPath();
const root = join(import.meta.dirname, '../../..');
const NOW = new Date('2026-11-24T13:48:00.000Z');
const clock: Clock = { now: () => NOW, sleep: () => Promise.resolve() };
let runbooks: readonly Runbook[];
beforeAll(async () => {
  runbooks = (await loadRunbooks(join(root, 'runbooks'))).runbooks;
});

/** What both sides must agree on; copies without the queue fields the lab leaves out. */
function comparable(kind: Operation['kind'], r: Record<string, unknown>): unknown {
  const copies = (list: unknown) =>
    (list as Record<string, unknown>[]).map((c) => ({
      database: c.database,
      server: c.server,
      status: c.status,
      activationPreference: c.activationPreference,
    }));
  switch (kind) {
    case 'get-server-state':
      return {
        ...r,
        components: (r.components as { component: string }[]).filter((c) =>
          (COMPONENT_ALLOW_LIST as readonly string[]).includes(c.component),
        ),
      };
    case 'get-restart-readiness':
      return { ...r, copies: copies(r.copies) };
    case 'get-monitoring-mailboxes':
      // The lab names the mailbox by its display name; Exchange's Name is HealthMailbox<guid>.
      return {
        server: r.server,
        databases: (r.mailboxes as { database: string }[]).map((m) => m.database),
        copies: copies(r.copies),
      };
    default:
      return r;
  }
}

describe('issue 12 reads in a real PowerShell 7 answer as the lab does', () => {
  if (!pwsh) {
    missingPrerequisite('PowerShell 7 (pwsh) is not installed: set HEALTHBOT_TEST_PWSH or put pwsh on PATH');
    return;
  }

  const reads: Operation[] = [
    { kind: 'get-server-state', server: 'SERVER2' },
    { kind: 'get-server-state', server: 'MBX1' },
    { kind: 'get-restart-readiness', server: 'SERVER1' },
    { kind: 'get-restart-readiness', server: 'MBX2' },
    { kind: 'get-monitoring-mailboxes', server: 'SERVER2' },
    { kind: 'get-directory-servers', server: 'SERVER1' },
  ];
  for (const scenario of ['maintenance-left-on', 'standalone-mailbox']) {
    it(`${scenario}: get-server-state, get-restart-readiness, get-monitoring-mailboxes and get-directory-servers`, async () => {
      const lab = await createLabGateway({
        runbooks,
        scenariosDir: join(root, 'config/lab-scenarios'),
        clock,
        latency: 'none',
        scenario,
      });
      const { gateway } = await onModule(pwsh, scenario, {}, {}, NOW);
      const servers = new Set((await lab.listServers()).map((s) => s.name));
      for (const op of reads.filter((o) => servers.has(o.server))) {
        const [fromLab, fromPwsh] = [await lab.run(op as never), await gateway.run(op as never)];
        expect(
          comparable(op.kind, fromPwsh as unknown as Record<string, unknown>),
          `${scenario} ${op.kind} ${op.server}`,
        ).toEqual(comparable(op.kind, fromLab as unknown as Record<string, unknown>));
      }
      await lab.close();
    }, 60_000);
  }

  it('maintenance-left-on: each requester of a component once, with when it asked', async () => {
    const { gateway } = await onModule(pwsh, 'maintenance-left-on', {}, {}, NOW);
    const state = await gateway.run({ kind: 'get-server-state', server: 'SERVER2' });
    expect(state.components.find((c) => c.component === 'ServerWideOffline')).toEqual({
      component: 'ServerWideOffline',
      state: 'Inactive',
      requesters: [{ requester: 'Maintenance', state: 'Inactive', at: '2026-11-24T10:48:00.000Z' }],
    });
    expect(state.activation).toEqual({ policy: 'Blocked', disabledAndMoveNow: true });
  });

  it('set-server-component-state: Active from one requester while another holds the component is no success', async () => {
    const { exchange, gateway } = await onModule(pwsh, 'maintenance-left-on', {}, {}, NOW);
    const op = {
      kind: 'set-server-component-state',
      server: 'SERVER2',
      component: 'ServerWideOffline',
      state: 'Active',
      requester: 'Maintenance',
    } as const;
    exchange.change((s) => {
      const held = (s.components as Record<string, { Component: string; Requesters: unknown[] }[]>).SERVER2!.find(
        (c) => c.Component === 'ServerWideOffline',
      )!;
      held.Requesters.push({ Requester: 'HealthAPI', State: 'Inactive', Timestamp: NOW.toISOString() });
    });
    expect(await gateway.run(op)).toMatchObject({ ok: false, detail: expect.stringContaining('still Inactive') });
    expect(unsaid(await gateway.run({ ...op, requester: 'HealthAPI' }))).toEqual({
      ok: true,
      detail: 'ServerWideOffline is Active on SERVER2 (requester HealthAPI)',
    });
    expect(
      exchange
        .calls()
        .filter((c) => c.cmdlet === 'Set-ServerComponentState')
        .map((c) => c.parameters),
    ).toEqual([
      {
        Identity: 'SERVER2',
        Component: 'ServerWideOffline',
        State: 'Active',
        Requester: 'Maintenance',
        ErrorAction: 'Stop',
      },
      {
        Identity: 'SERVER2',
        Component: 'ServerWideOffline',
        State: 'Active',
        Requester: 'HealthAPI',
        ErrorAction: 'Stop',
      },
    ]);
  });

  it('get-server-state: a stopped service both roles need is listed once, though Test-ServiceHealth names it under each role', async () => {
    const { exchange, gateway } = await onModule(pwsh, 'imap-backend-hang', {}, {}, NOW);
    // SERVER1 has the Mailbox and the Client Access role: Test-ServiceHealth answers one row per role.
    exchange.change(
      (s) =>
        ((s.services as Record<string, Record<string, { Status: string }>>).SERVER1!.MSExchangeServiceHost!.Status =
          'Stopped'),
    );
    expect((await gateway.run({ kind: 'get-server-state', server: 'SERVER1' })).servicesNotRunning).toEqual([
      'MSExchangeServiceHost',
    ]);
  });

  it('get-monitoring-mailboxes: wildcard characters in the server value match only themselves', async () => {
    const exchange = await standInExchange('imap-backend-hang', {}, NOW);
    const shell = new PwshShell({ executable: pwsh, env: exchange.env });
    try {
      await openSession(
        shell,
        { authentication: 'Kerberos', operationTimeoutMs: 30_000, standInModule: EXCHANGE_MODULE },
        ENDPOINTS[0]!,
        AbortSignal.timeout(60_000),
      );
      const ask = async (server: string) =>
        (
          (await callScript(shell, 'get-monitoring-mailboxes', { server, fqdn: server }, AbortSignal.timeout(30_000)))
            .data as { Mailboxes: unknown[] }[]
        )[0]!.Mailboxes;
      expect(await ask('SERVER1')).toHaveLength(1);
      // As a pattern, SERVER? would take SERVER1's and SERVER2's health mailboxes for its own.
      expect(await ask('SERVER?')).toEqual([]);
      expect(await ask('SERVER[12]')).toEqual([]);
    } finally {
      await shell.dispose();
    }
  });

  it('get-directory-servers: one domain controller and no global catalog come back as lists', async () => {
    const { exchange, gateway } = await onModule(pwsh, 'imap-backend-hang', {}, {}, NOW);
    // A calculated property that yields one value hands PowerShell a string, not a list of one.
    exchange.change(
      (s) =>
        ((s.directoryServers as Record<string, unknown>).SERVER1 = {
          CurrentDomainControllers: ['dc2.contoso.com'],
          CurrentGlobalCatalogs: [],
        }),
    );
    expect(await gateway.run({ kind: 'get-directory-servers', server: 'SERVER1' })).toEqual({
      server: 'SERVER1',
      domainControllers: ['dc2.contoso.com'],
      globalCatalogs: [],
    });
  });
});
