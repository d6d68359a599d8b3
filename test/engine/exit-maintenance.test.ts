/**
 * Issue 14.3: a server left in maintenance after patching is named as such, first on the card,
 * and leaving maintenance is one approved step made of the documented steps, each put back if a
 * later one fails. Through the engine, on the lab.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/index.ts';
import type { Operation } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

const isUndoOfActivation = (op: Operation) => op.kind === 'set-database-activation' && op.mode === 'allow';

describe('leaving maintenance (maintenance-left-on)', () => {
  it('names the server left in maintenance after patching first on the card, with its version', async () => {
    const h = await createHarness('maintenance-left-on');
    await h.ask("what's wrong with IMAP on server2?");
    const card = h.lastCard('diagnosis')!;
    // The panel comes before the health sets and the findings.
    expect(card.facts[0]).toEqual({
      label: 'Server',
      value: 'SERVER2: Exchange 2013, build 15.0.1497.2 · ⚠ out of support since Apr 11, 2023',
    });
    expect(card.facts[1]).toEqual({
      label: 'Server state',
      value:
        'SERVER2 was left in maintenance after patching: in maintenance since 11:00, restarted at 11:30, never taken out',
    });
    expect(card.sections[0]).toEqual({ kind: 'text', text: 'Server components on SERVER2 that are not Active:' });
    expect(cardText(card)).toContain('The cluster node SERVER2 is paused');
  });

  it('after one approval every component is Active, the node is up, activation is allowed and the probe passes', async () => {
    const h = await createHarness('maintenance-left-on');
    await h.ask("what's wrong with IMAP on server2?");
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    const approvalCard = h.lastCard('approval')!;
    expect(cardText(approvalCard)).toContain('Exit maintenance on SERVER2');
    const before = h.gateway.ran.length;
    await h.click(h.button(approvalCard, /^Approve$/), h.people.bob);
    const ran = h.gateway.ran.slice(before).filter((op) => op.kind.startsWith('set-'));
    expect(ran).toEqual([
      {
        kind: 'set-server-component-state',
        server: 'SERVER2',
        component: 'ServerWideOffline',
        state: 'Active',
        requester: 'Maintenance',
      },
      { kind: 'set-cluster-node', server: 'SERVER2', action: 'resume' },
      { kind: 'set-database-activation', server: 'SERVER2', mode: 'allow', restorePolicy: 'Unrestricted' },
      {
        kind: 'set-server-component-state',
        server: 'SERVER2',
        component: 'HubTransport',
        state: 'Active',
        requester: 'Maintenance',
      },
    ]);
    const state = await h.gateway.run({ kind: 'get-server-state', server: 'SERVER2' });
    expect(state.components.filter((c) => c.state !== 'Active')).toEqual([]);
    expect(state.activation).toEqual({ policy: 'Unrestricted', disabledAndMoveNow: false });
    expect(await h.gateway.run({ kind: 'get-cluster-node', server: 'SERVER2' })).toEqual({
      server: 'SERVER2',
      state: 'Up',
    });
    const card = h.lastCard('diagnosis')!;
    expect(card.title).toBe('IMAP on SERVER2: resolved');
    expect(h.gateway.ran.slice(before)).toContainEqual(
      expect.objectContaining({ kind: 'invoke-probe', server: 'SERVER2', probe: 'ImapProxyTestProbe' }),
    );
    expect(cardText(card)).not.toMatch(/left in maintenance|not Active/);
    const [approval] = await h.store.listApprovals({});
    expect(approval).toMatchObject({
      state: 'succeeded',
      requiredApprovals: 1,
      outcome: {
        ok: true,
        detail: expect.stringContaining('SERVER2 out of maintenance: ServerWideOffline Active, Resume-ClusterNode'),
      },
    });
  });

  it('when a step fails, the steps that ran are put back, newest first, and the outcome says exactly so', async () => {
    const h = await createHarness('maintenance-left-on', {
      wrapGateway: interceptRun(async (op, next) =>
        isUndoOfActivation(op) ? { ok: false, detail: 'Set-MailboxServer: the server is not reachable' } : next(),
      ),
    });
    await h.ask("what's wrong with IMAP on server2?");
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    const before = h.gateway.ran.length;
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    expect(h.gateway.ran.slice(before).filter((op) => op.kind.startsWith('set-'))).toEqual([
      {
        kind: 'set-server-component-state',
        server: 'SERVER2',
        component: 'ServerWideOffline',
        state: 'Active',
        requester: 'Maintenance',
      },
      { kind: 'set-cluster-node', server: 'SERVER2', action: 'resume' },
      { kind: 'set-database-activation', server: 'SERVER2', mode: 'allow', restorePolicy: 'Unrestricted' },
      { kind: 'set-cluster-node', server: 'SERVER2', action: 'suspend' },
      {
        kind: 'set-server-component-state',
        server: 'SERVER2',
        component: 'ServerWideOffline',
        state: 'Inactive',
        requester: 'Maintenance',
      },
    ]);
    const [approval] = await h.store.listApprovals({});
    expect(approval!.state).toBe('failed');
    expect(approval!.outcome!.detail).toBe(
      'SERVER2 not taken out of maintenance: activation allowed (Unrestricted) failed: Set-MailboxServer: the server is not reachable; ran before it: ServerWideOffline Active, Resume-ClusterNode; put back: Suspend-ClusterNode, ServerWideOffline Inactive',
    );
    // For a person, in the incident's language: which step failed, why, what ran and what was put back.
    expect(cardText(h.lastCard('approval'))).toContain(
      'SERVER2 was not taken out of maintenance: DatabaseCopyAutoActivationPolicy Unrestricted failed. Ran before it: ServerWideOffline Active, Resume-ClusterNode. Put back: Suspend-ClusterNode, ServerWideOffline Inactive.',
    );
    // As it was found: still in maintenance, node paused, HubTransport never touched.
    const state = await h.gateway.run({ kind: 'get-server-state', server: 'SERVER2' });
    expect(state.components.filter((c) => c.state !== 'Active').map((c) => `${c.component} ${c.state}`)).toEqual([
      'ServerWideOffline Inactive',
      'HubTransport Draining',
    ]);
    expect(await h.gateway.run({ kind: 'get-cluster-node', server: 'SERVER2' })).toEqual({
      server: 'SERVER2',
      state: 'Paused',
    });
  });

  it('a put-back that fails too leaves the outcome unknown and names what is still changed', async () => {
    const h = await createHarness('maintenance-left-on', {
      wrapGateway: interceptRun(async (op, next) => {
        if (isUndoOfActivation(op)) throw new GatewayError('timeout', 'Set-MailboxServer took too long');
        if (op.kind === 'set-cluster-node' && op.action === 'suspend')
          return { ok: false, detail: 'the cluster service is stopping' };
        return next();
      }),
    });
    await h.ask("what's wrong with IMAP on server2?");
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    const [approval] = await h.store.listApprovals({});
    expect(approval!.state).toBe('outcome-unknown');
    expect(approval!.outcome!.detail).toContain(
      'activation allowed (Unrestricted) outcome unknown: timeout: Set-MailboxServer took too long',
    );
    expect(approval!.outcome!.detail).toContain('put back: ServerWideOffline Inactive');
    expect(approval!.outcome!.detail).toContain(
      'NOT put back, still as changed: Suspend-ClusterNode (the cluster service is stopping)',
    );
  });

  it('a cluster node that cannot be read in time is said so, and leaving maintenance does not touch it', async () => {
    const h = await createHarness('maintenance-left-on', {
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'get-cluster-node') throw new GatewayError('timeout', 'Get-ClusterNode took too long');
        return next();
      }),
    });
    await h.ask("what's wrong with IMAP on server2?");
    const card = h.lastCard('diagnosis')!;
    expect(cardText(card)).toContain('Cluster node SERVER2: not read (timed out)');
    expect(card.actions[0]!.label).toMatch(/^Exit maintenance on SERVER2: /);
    expect(card.actions[0]!.label).not.toContain('cluster');
  });
});

describe('the server panel when something else is off', () => {
  it('names an activation policy that is not Unrestricted, and a component held by someone else, with who and when', async () => {
    const h = await createHarness('imap-backend-hang', {
      wrapGateway: interceptRun(async (op, next) => {
        const real = await next();
        if (op.kind !== 'get-server-state' || op.server !== 'SERVER1') return real;
        const state = real as { components: { component: string; state: string; requesters: unknown[] }[] };
        return {
          ...state,
          activation: { policy: 'IntrasiteOnly', disabledAndMoveNow: false },
          components: state.components.map((c) =>
            c.component === 'PopProxy'
              ? {
                  component: 'PopProxy',
                  state: 'Inactive',
                  requesters: [{ requester: 'HealthAPI', state: 'Inactive', at: '2026-11-24T12:30:00.000Z' }],
                }
              : c,
          ),
        };
      }),
    });
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis')!;
    expect(card.facts[1]).toEqual({ label: 'Server state', value: '1 server component on SERVER1 not Active' });
    const text = cardText(card);
    expect(text).toContain('PopProxy Inactive, set by HealthAPI at 12:30');
    expect(text).toContain('Database activation on SERVER1: policy IntrasiteOnly');
  });

  it('a server state that cannot be read in time is said so, never taken for a server that is fine', async () => {
    const h = await createHarness('maintenance-left-on', {
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'get-server-state') throw new GatewayError('timeout', 'Get-ServerComponentState took too long');
        return next();
      }),
    });
    await h.ask("what's wrong with IMAP on server2?");
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain(
      'Server state of SERVER2: not read (timed out); whether it is in maintenance or holds a component is unknown.',
    );
    expect(text).not.toContain('left in maintenance');
  });
});

describe('leaving maintenance is never sent to a gateway whole', () => {
  it('the lab refuses it as an operation: the engine runs its steps one by one', async () => {
    const h = await createHarness('maintenance-left-on');
    const op = { kind: 'exit-maintenance', server: 'SERVER2', steps: [] } as const;
    await expect(h.gateway.run(op)).rejects.toMatchObject({ code: 'not-allowed' });
  });
});
