import { describe, expect, it } from 'vitest';
import type { Actor, Approval, Policy } from '../../src/core/index.ts';
import {
  approve,
  cancel,
  expire,
  finishExecution,
  operationDigest,
  reject,
  requiredApprovals,
  samePerson,
  startExecution,
} from '../../src/core/index.ts';

const alice: Actor = { platform: 'slack', userId: 'U1', displayName: 'alice', directoryId: 'alice@contoso.com' };
const aliceOnTeams: Actor = {
  platform: 'teams',
  userId: 'aad-1',
  displayName: 'Alice W.',
  directoryId: 'ALICE@contoso.com',
};
const bob: Actor = { platform: 'slack', userId: 'U2', displayName: 'bob', directoryId: 'bob@contoso.com' };
const dave: Actor = { platform: 'slack', userId: 'U4', displayName: 'dave', groups: ['S-EXCH-ADMINS'] };
const carol: Actor = { platform: 'slack', userId: 'U3', displayName: 'carol', directoryId: 'carol@contoso.com' };

const policy: Policy = {
  askers: 'everyone',
  operators: [{ directoryId: 'alice@contoso.com' }],
  approvers: [
    { directoryId: 'alice@contoso.com' },
    { directoryId: 'bob@contoso.com' },
    { platform: 'slack', group: 's-exch-admins' },
  ],
  approvalsByImpact: { low: 1, medium: 1, high: 1 },
  rules: [{ operation: 'restart-server', role: 'Mailbox', approvals: 2 }],
  expiryMinutes: 15,
};

const now = new Date('2026-11-24T14:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

function pending(overrides: Partial<Approval> = {}): Approval {
  return {
    id: 'a1',
    incidentId: 'i1',
    monitor: 'ImapCTPMonitor',
    stepId: 'restart-imap-backend',
    operation: { kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' },
    digest: 'd',
    requester: alice,
    requestedAt: now.toISOString(),
    expiresAt: later(15).toISOString(),
    requiredApprovals: 1,
    approvals: [],
    state: 'pending',
    version: 1,
    ...overrides,
  };
}

describe('the two-person rule', () => {
  it('refuses the requester, also under another platform identity with the same directory id', () => {
    expect(approve(pending(), alice, policy, now)).toEqual({ ok: false, refusal: { reason: 'own-request' } });
    expect(approve(pending(), aliceOnTeams, policy, now)).toEqual({ ok: false, refusal: { reason: 'own-request' } });
    expect(samePerson(alice, aliceOnTeams)).toBe(true);
    expect(samePerson(alice, bob)).toBe(false);
  });

  it('refuses people without the approver role and accepts approvers by directory id or group', () => {
    expect(approve(pending(), carol, policy, now)).toEqual({ ok: false, refusal: { reason: 'not-approver' } });
    const byBob = approve(pending(), bob, policy, now);
    expect(byBob.ok && byBob.next.state).toBe('approved');
    const byDave = approve(pending(), dave, policy, now);
    expect(byDave.ok && byDave.next.state).toBe('approved');
    expect(approve(pending(), { ...dave, platform: 'teams' }, policy, now)).toEqual({
      ok: false,
      refusal: { reason: 'not-approver' },
    });
  });

  it('needs distinct approvers when the policy asks for two, and names who decided', () => {
    const first = approve(pending({ requiredApprovals: 2 }), bob, policy, now);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.next.state).toBe('pending');
    expect(first.next.version).toBe(2);
    expect(approve(first.next, bob, policy, later(1))).toEqual({
      ok: false,
      refusal: { reason: 'already-voted', at: now.toISOString() },
    });
    const second = approve(first.next, dave, policy, later(1));
    expect(second.ok && second.next.state).toBe('approved');
    if (!second.ok) return;
    const third = approve(second.next, carol, policy, later(2));
    expect(third).toMatchObject({ ok: false, refusal: { reason: 'decided', state: 'approved', by: ['bob', 'dave'] } });
  });

  it('counts two approvals for a Mailbox server restart and one elsewhere', () => {
    expect(requiredApprovals(policy, { kind: 'restart-server', server: 'MBX1' }, ['Mailbox'])).toBe(2);
    expect(requiredApprovals(policy, { kind: 'restart-server', server: 'CAS1' }, ['ClientAccess'])).toBe(1);
    expect(
      requiredApprovals(
        { ...policy, approvalsByImpact: { low: 0 as never, medium: 1, high: 1 } },
        { kind: 'iis-reset', server: 'X' },
        [],
      ),
    ).toBe(1);
  });
});

describe('expiry, rejection and withdrawal', () => {
  it('expires at the deadline and refuses votes with the time it expired', () => {
    const a = pending();
    expect(expire(a, later(14))).toBeUndefined();
    const expired = expire(a, later(15));
    expect(expired?.state).toBe('expired');
    expect(approve(a, bob, policy, later(16))).toEqual({ ok: false, refusal: { reason: 'expired', at: a.expiresAt } });
    expect(approve(expired!, bob, policy, later(16))).toEqual({
      ok: false,
      refusal: { reason: 'expired', at: a.expiresAt },
    });
  });

  it('lets an approver reject, but not the requester, and only the requester withdraw', () => {
    expect(reject(pending(), alice, policy, now)).toEqual({ ok: false, refusal: { reason: 'own-request' } });
    expect(reject(pending(), carol, policy, now)).toEqual({ ok: false, refusal: { reason: 'not-approver' } });
    const rejected = reject(pending(), bob, policy, now);
    expect(rejected.ok && rejected.next).toMatchObject({ state: 'rejected', decidedBy: { actor: bob } });
    expect(cancel(pending(), bob, now)).toEqual({ ok: false, refusal: { reason: 'not-requester' } });
    const cancelled = cancel(pending(), aliceOnTeams, now);
    expect(cancelled.ok && cancelled.next.state).toBe('cancelled');
    if (rejected.ok)
      expect(approve(rejected.next, dave, policy, now)).toMatchObject({
        ok: false,
        refusal: { reason: 'decided', state: 'rejected', by: ['bob'] },
      });
  });
});

describe('execution tickets', () => {
  it('come only from an approved request and move it to executing, then to its outcome', () => {
    const lease = { owner: 'p1', startedAt: later(0).toISOString(), leaseUntil: later(1).toISOString() };
    expect(startExecution(pending(), lease)).toBeUndefined();
    const ticket = startExecution(pending({ state: 'approved', version: 3 }), lease);
    expect(ticket?.approval).toMatchObject({ state: 'executing', version: 4, execution: lease });
    const done = finishExecution(ticket!, { ok: true, detail: 'restarted' }, 'succeeded', later(1));
    expect(done).toMatchObject({
      state: 'succeeded',
      version: 5,
      outcome: { ok: true, detail: 'restarted', at: later(1).toISOString() },
    });
    expect(startExecution(done, lease)).toBeUndefined();
  });
});

describe('operation digest', () => {
  it('is stable under key order and changes with any parameter', async () => {
    const a = await operationDigest({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    const reordered = await operationDigest({
      service: 'MSExchangeIMAP4BE',
      server: 'MBX1',
      kind: 'restart-service',
    } as never);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered).toBe(a);
    expect(await operationDigest({ kind: 'restart-service', server: 'MBX2', service: 'MSExchangeIMAP4BE' })).not.toBe(
      a,
    );
    expect(await operationDigest({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4' })).not.toBe(a);
  });
});

describe('a step the engine asks more approvers for (restart anyway, issue 14.5)', () => {
  const op = { kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' } as const;

  it('raises the policy number to at least the floor, never lowers it', () => {
    expect(requiredApprovals(policy, op, ['Mailbox'])).toBe(1);
    expect(requiredApprovals(policy, op, ['Mailbox'], 2)).toBe(2);
    expect(requiredApprovals(policy, { kind: 'restart-server', server: 'MBX1' }, ['Mailbox'], 1)).toBe(2);
  });

  it('one approval is not enough, and the same person cannot approve twice', () => {
    const a = pending({ requiredApprovals: requiredApprovals(policy, op, ['Mailbox'], 2) });
    const first = approve(a, bob, policy, later(1));
    expect(first.ok && first.next.state).toBe('pending');
    if (!first.ok) throw new Error('bob could not approve');
    const again = approve(first.next, bob, policy, later(2));
    expect(again).toMatchObject({ ok: false, refusal: { reason: 'already-voted' } });
    // Bob on another platform is still bob.
    expect(approve(first.next, { ...bob, platform: 'teams', userId: 'aad-2' }, policy, later(2))).toMatchObject({
      ok: false,
      refusal: { reason: 'already-voted' },
    });
    const second = approve(first.next, dave, policy, later(3));
    expect(second.ok && second.next.state).toBe('approved');
  });
});
