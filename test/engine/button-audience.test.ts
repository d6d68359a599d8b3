/**
 * Buttons say who can use them (the web chat leaves out the rest), and the engine still refuses a
 * click from someone the button was not for: hiding is a convenience, never the guard.
 */
import { describe, expect, it } from 'vitest';
import { mayUse } from '../../src/core/index.ts';
import { createHarness } from './harness.ts';

describe('button audience', () => {
  it('marks the state-changing step for operators and the approval for approvers other than the requester', async () => {
    const h = await createHarness('imap-backend-hang');
    const { alice, bob, carol } = h.people;
    const policy = h.deps.policy!;
    await h.ask("what's wrong with IMAP on server1?");
    const diagnosis = h.lastCard('diagnosis')!;
    const restart = diagnosis.actions.find((a) => /^Restart MSExchangeIMAP4BE on MBX1$/.test(a.label))!;
    expect(restart.audience).toEqual({ role: 'operator' });
    expect(mayUse(policy, alice, restart.audience)).toBe(true);
    expect(mayUse(policy, bob, restart.audience)).toBe(false);
    expect(mayUse(policy, carol, restart.audience)).toBe(false);
    // Read-only buttons are for everyone.
    const rerun = diagnosis.actions.find((a) => /rerun/i.test(a.label))!;
    expect(mayUse(policy, carol, rerun.audience)).toBe(true);

    await h.click(restart.id, alice);
    const approval = h.lastCard('approval')!;
    const byLabel = (l: RegExp) => approval.actions.find((a) => l.test(a.label))!;
    const [approve, reject, withdraw] = [byLabel(/^Approve$/), byLabel(/^Reject$/), byLabel(/^Withdraw/)];
    const who = (audience: typeof approve.audience) =>
      Object.entries(h.people)
        .filter(([, p]) => mayUse(policy, p, audience))
        .map(([n]) => n);
    expect(who(approve.audience)).toEqual(['bob', 'dave']);
    expect(who(reject.audience)).toEqual(['bob', 'dave']);
    expect(who(withdraw.audience)).toEqual(['alice']);
  });

  it('still refuses a forged click from a viewer: nothing requested, a private refusal', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    const restart = h.button(h.lastCard('diagnosis'), /^Restart MSExchangeIMAP4BE on MBX1$/);
    await h.click(restart, h.people.carol);
    expect(await h.store.listApprovals({ states: ['pending'] })).toHaveLength(0);
    expect(
      h
        .privateTo('carol')
        .map((c) => c.sections.map((s) => (s.kind === 'text' ? s.text : '')).join(' '))
        .join(' '),
    ).toMatch(/not an operator/);
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(0);
  });

  it('still refuses a forged Approve from the requester', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    await h.click(h.button(h.lastCard('diagnosis'), /^Restart MSExchangeIMAP4BE on MBX1$/), h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.alice);
    expect(await h.store.listApprovals({ states: ['pending'] })).toHaveLength(1);
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(0);
  });
});
