/**
 * Issue 14.5: how far the failure reaches. On organisation-wide-auth the same IMAP failure shows
 * on every Client Access server: the card says it is organisation-wide, and no single-server
 * restart is offered except as "restart anyway", which needs two different approvers.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

const PLAIN_RESTART = /^(Restart(?! anyway)|Recycle|IISReset|Reset IIS)/;

describe('blast radius', () => {
  it('organisation-wide-auth: says organisation-wide and offers restarts only as a two-approver "restart anyway"', async () => {
    const h = await createHarness('organisation-wide-auth');
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis')!;
    expect(card.facts.find((f) => f.label === 'Server state')?.value).toBe(
      'organisation-wide: IMAP\\ImapCTPMonitor fails on every server of the role',
    );
    expect(cardText(card)).toContain(
      'the cause is shared (Active Directory, authentication, certificates, the load balancer)',
    );
    expect(card.actions.filter((a) => PLAIN_RESTART.test(a.label))).toEqual([]);
    const anyway = card.actions.find((a) => a.label.startsWith('Restart anyway (two approvers): '))!;
    expect(anyway.label).toBe('Restart anyway (two approvers): Restart MSExchangeIMAP4BE on MBX1');

    await h.click(anyway.id, h.people.alice);
    const approvalCard = h.lastCard('approval')!;
    await h.click(h.button(approvalCard, /^Approve$/), h.people.bob);
    let [approval] = await h.store.listApprovals({});
    // One approval is not enough ...
    expect(approval).toMatchObject({
      state: 'pending',
      requiredApprovals: 2,
      approvals: [expect.objectContaining({ actor: expect.objectContaining({ userId: 'bob' }) })],
    });
    expect(h.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);
    // ... and the same person cannot give the second.
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    expect(cardText(h.privateTo('bob').at(-1))).toMatch(/already/i);
    [approval] = await h.store.listApprovals({});
    expect(approval!.state).toBe('pending');
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.dave);
    [approval] = await h.store.listApprovals({});
    expect(approval!.state).toBe('succeeded');
    expect(h.gateway.ran).toContainEqual({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    // It changed nothing: the failure is still organisation-wide, and the next restart is withheld too.
    const after = h.lastCard('diagnosis')!;
    expect(after.title).toBe('IMAP on SERVER1: problem confirmed');
    expect(after.actions.filter((a) => PLAIN_RESTART.test(a.label))).toEqual([]);
  });

  it('walking the whole ladder, no restart is ever offered without the two-approver "restart anyway"', async () => {
    const h = await createHarness('organisation-wide-auth');
    await h.ask("what's wrong with IMAP on server1?");
    // Each step as alice; bob approves, and dave too when one approval is not enough.
    const walked: string[] = [];
    for (let i = 0; i < 30; i++) {
      const next = h.lastCard('diagnosis')!.actions[0]!;
      if (/^Escalate/.test(next.label)) break;
      walked.push(next.label);
      await h.click(next.id, h.people.alice);
      const pending = () => h.store.listApprovals({ states: ['pending'] });
      if ((await pending()).length > 0) await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
      if ((await pending()).length > 0) await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.dave);
      await h.waitOutReboots();
    }
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toMatch(/^Escalate/);
    expect(walked.filter((l) => PLAIN_RESTART.test(l))).toEqual([]);
    expect(walked.filter((l) => l.startsWith('Restart anyway (two approvers): '))).toEqual([
      'Restart anyway (two approvers): Restart MSExchangeIMAP4BE on MBX1',
      'Restart anyway (two approvers): Restart MSExchangeIMAP4 on SERVER1',
      'Restart anyway (two approvers): Restart the server SERVER1',
      'Restart anyway (two approvers): Restart MSExchangeIMAP4 on SERVER1',
    ]);
    for (const a of await h.store.listApprovals({})) {
      if (['restart-service', 'restart-server', 'iis-reset', 'recycle-app-pool'].includes(a.operation.kind))
        expect(a.requiredApprovals, a.operation.kind).toBe(2);
    }
  });

  it('a failure on one server only is not organisation-wide: the restart is offered as usual', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis')!;
    expect(card.actions[0]!.label).toBe('Restart MSExchangeIMAP4BE on MBX1');
    expect(cardText(card)).toContain('IMAP\\ImapCTPMonitor elsewhere: SERVER2: healthy');
  });

  it('another server that cannot be read in time leaves the reach open: said so, restarts not withheld', async () => {
    const h = await createHarness('organisation-wide-auth', {
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'get-server-health' && op.server === 'SERVER2')
          throw new GatewayError('timeout', 'Get-ServerHealth took too long');
        return next();
      }),
    });
    await h.ask("what's wrong with IMAP on server1?");
    const card = h.lastCard('diagnosis')!;
    expect(cardText(card)).toContain('IMAP\\ImapCTPMonitor elsewhere: SERVER2: not read (timed out)');
    expect(card.actions[0]!.label).toBe('Restart MSExchangeIMAP4BE on MBX1');
  });

  it('a plain restart click is refused while the failure is organisation-wide', async () => {
    // The button offered before the other servers were known to fail too: stored, then the incident turns organisation-wide.
    const h = await createHarness('organisation-wide-auth', {
      wrapGateway: interceptRun(async (op, next) => {
        if (op.kind === 'get-server-health' && op.server === 'SERVER2' && !released)
          throw new GatewayError('timeout', 'slow');
        return next();
      }),
    });
    let released = false;
    await h.ask("what's wrong with IMAP on server1?");
    const plain = h.lastCard('diagnosis')!.actions[0]!;
    expect(plain.label).toBe('Restart MSExchangeIMAP4BE on MBX1');
    released = true;
    await h.click(h.button(h.lastCard('diagnosis'), /^Rerun/), h.people.alice);
    const incidents = await h.store.listIncidents(5);
    expect(incidents[0]!.serverContext?.blastRadius).toMatchObject({
      status: 'read',
      value: { organisationWide: true },
    });
    // The stale plain button still points at the same step; it is refused, nothing is requested.
    await h.click(plain.id, h.people.alice);
    expect(await h.store.listApprovals({})).toEqual([]);
  });
});
