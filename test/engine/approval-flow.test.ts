import { describe, expect, it } from 'vitest';
import { cardText, createHarness } from './harness.ts';

async function requested(scenario = 'imap-backend-hang') {
  const h = await createHarness(scenario);
  await h.ask("what's wrong with IMAP on server1?");
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
  const approval = (await h.store.listApprovals({ states: ['pending'] }))[0]!;
  return { h, approval };
}

describe('the approval flow on the lab', () => {
  it('requests, refuses self-approval and non-approvers, runs once on a second person, and resolves', async () => {
    const { h, approval } = await requested();
    expect(approval.operation).toEqual({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    const card = h.lastCard('approval');
    expect(card?.title).toBe('Approval needed: Restart MSExchangeIMAP4BE on MBX1');
    expect(cardText(card)).toMatch(/alice/);

    await h.click(h.button(card, /^Approve$/), h.people.alice);
    expect(cardText(h.privateTo('alice').at(-1))).toMatch(/can't approve or reject your own request/);
    await h.click(h.button(card, /^Approve$/), h.people.carol);
    expect(cardText(h.privateTo('carol').at(-1))).toMatch(/not an approver/);
    expect(h.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);

    await h.click(h.button(card, /^Approve$/), h.people.bob);
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
    expect((await h.store.getApproval(approval.id))?.state).toBe('succeeded');
    const diagnosis = h.lastCard('diagnosis');
    expect(diagnosis?.title).toBe('IMAP on SERVER1: resolved');
    expect(cardText(diagnosis)).toMatch(/Approved by bob/);

    await h.click(h.button(card, /^Approve$/), h.people.dave);
    expect(cardText(h.privateTo('dave').at(-1))).toMatch(/Already approved by bob/);
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
  });

  it('does not let a viewer request a state-changing step', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?", h.people.carol);
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.carol);
    expect(cardText(h.privateTo('carol').at(-1))).toMatch(/not an operator/);
    expect(await h.store.listApprovals()).toHaveLength(0);
  });

  it('runs exactly once under 50 concurrent approvals and redelivered clicks', async () => {
    const { h, approval } = await requested();
    const approve = h.button(h.lastCard('approval'), /^Approve$/);
    const approvers = [h.people.bob, h.people.dave, h.people.alice, h.people.carol];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.click(approve, approvers[i % approvers.length]!, 'test:c1', `click-${i % 20}`),
      ),
    );
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
    expect((await h.store.getApproval(approval.id))?.state).toBe('succeeded');
  });

  it('expires after the configured time and then refuses with the time it expired', async () => {
    const { h, approval } = await requested();
    h.clock.advance(16 * 60_000);
    expect(await h.engine.tick()).toBeGreaterThan(0);
    expect((await h.store.getApproval(approval.id))?.state).toBe('expired');
    const outcome = await h.engine.decide({ approvalId: approval.id, actor: h.people.bob, decision: 'approve' });
    expect(outcome).toMatchObject({ ok: false, reason: 'expired' });
    expect(!outcome.ok && outcome.message).toMatch(/expired at 14:15/);
    expect(h.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);
  });

  it('asks again instead of running when the monitor turned healthy meanwhile', async () => {
    const { h, approval } = await requested();
    // Someone fixed it by hand in the meantime.
    await h.gateway.run({ kind: 'restart-service', server: 'MBX1', service: 'MSExchangeIMAP4BE' });
    const ranBefore = h.gateway.ran.filter((op) => op.kind === 'restart-service').length;
    await h.engine.decide({
      approvalId: approval.id,
      actor: h.people.bob,
      decision: 'approve',
      conversation: 'test:c1',
    });
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(ranBefore);
    const stored = await h.store.getApproval(approval.id);
    expect(stored?.state).toBe('failed');
    expect(stored?.outcome?.detail).toMatch(/not run/);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/healthy again/);
  });

  it('does not run when the audit record cannot be written', async () => {
    const { h, approval } = await requested();
    const append = h.store.appendAudit.bind(h.store);
    h.store.appendAudit = async (entry) => {
      if (entry.type === 'action-started') throw new Error('disk full');
      return append(entry);
    };
    await h.engine.decide({
      approvalId: approval.id,
      actor: h.people.bob,
      decision: 'approve',
      conversation: 'test:c1',
    });
    expect(h.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);
    expect((await h.store.getApproval(approval.id))?.state).toBe('failed');
  });

  it('marks an interrupted execution outcome-unknown on recovery and never reruns it', async () => {
    const { h, approval } = await requested();
    const stored = (await h.store.getApproval(approval.id))!;
    await h.store.updateApproval({
      ...stored,
      state: 'executing',
      approvals: [{ actor: h.people.bob, at: h.clock.now().toISOString() }],
      version: stored.version + 1,
    });
    // The operation had been sent: its action-started record exists.
    await h.store.appendAudit({
      type: 'action-started',
      at: h.clock.now().toISOString(),
      incidentId: approval.incidentId,
      data: { approvalId: approval.id },
    });
    const report = await h.engine.recover();
    expect(report.outcomeUnknown).toBe(1);
    expect((await h.store.getApproval(approval.id))?.state).toBe('outcome-unknown');
    expect(h.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);
    expect(cardText(h.lastCard('approval'))).toMatch(/cannot tell whether this ran/);
  });

  it('lets the requester withdraw with "cancel"', async () => {
    const { h, approval } = await requested();
    await h.ask('cancel');
    expect((await h.store.getApproval(approval.id))?.state).toBe('cancelled');
  });

  it('refuses a forged button id and a click from another conversation', async () => {
    const { h } = await requested();
    await h.click('no-such-id', h.people.bob);
    expect(cardText(h.privateTo('bob').at(-1))).toMatch(/no longer valid/);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob, 'test:other');
    expect(h.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);
  });

  it('writes an audit trail from question to outcome', async () => {
    const { h, approval } = await requested();
    await h.engine.decide({
      approvalId: approval.id,
      actor: h.people.bob,
      decision: 'approve',
      conversation: 'test:c1',
    });
    const types = (await h.store.readAudit({ incidentId: approval.incidentId })).map((r) => r.type);
    for (const t of [
      'diagnosis',
      'probe',
      'approval-requested',
      'approval-decided',
      'action-started',
      'action-finished',
    ] as const)
      expect(types).toContain(t);
  });
});
