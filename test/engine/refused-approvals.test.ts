/**
 * Refused approval attempts leave an audit record with who, what and why (issue 18, fault 16),
 * and the timeline export shows them. Decisions are still counted apart: refusals have their own
 * record type, so "exactly one approval-decided" keeps meaning one decision.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { timelineMarkdown } from '../../src/core/engine/index.ts';
import { createTranslator } from '../../src/i18n/index.ts';
import { createHarness } from './harness.ts';

async function requested() {
  const h = await createHarness('imap-backend-hang');
  await h.ask("what's wrong with IMAP on server1?");
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
  const approval = (await h.store.listApprovals({ states: ['pending'] }))[0]!;
  return { h, approval, approve: h.button(h.lastCard('approval'), /^Approve$/) };
}

const refusals = async (h: Awaited<ReturnType<typeof requested>>['h']) =>
  (await h.store.readAudit()).filter((r) => r.type === 'approval-refused');

describe('refused approval attempts', () => {
  it('self-approval and a viewer approving each leave a record with who, what and the reason', async () => {
    const { h, approval, approve } = await requested();
    await h.click(approve, h.people.alice);
    await h.click(approve, h.people.carol);
    const records = await refusals(h);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      incidentId: approval.incidentId,
      actor: { userId: 'alice', directoryId: 'alice@contoso.com' },
      data: {
        attempt: 'approve',
        reason: 'own-request',
        approvalId: approval.id,
        state: 'pending',
        operation: approval.operation,
      },
    });
    expect(records[1]).toMatchObject({
      actor: { userId: 'carol' },
      data: { attempt: 'approve', reason: 'not-approver', approvalId: approval.id },
    });
    // Refused votes are not decisions.
    expect((await h.store.readAudit()).filter((r) => r.type === 'approval-decided')).toHaveLength(0);
  });

  it('approving after the decision is recorded as refused, and the decision is recorded once', async () => {
    const { h, approval, approve } = await requested();
    await h.click(approve, h.people.bob);
    await h.click(approve, h.people.dave);
    await h.engine.decide({ approvalId: approval.id, actor: h.people.dave, decision: 'reject' });
    const records = await refusals(h);
    expect(records.map((r) => [r.actor?.userId, r.data.attempt, r.data.reason, r.data.state])).toEqual([
      ['dave', 'approve', 'decided', 'succeeded'],
      ['dave', 'reject', 'decided', 'succeeded'],
    ]);
    expect((await h.store.readAudit()).filter((r) => r.type === 'approval-decided')).toHaveLength(1);
  });

  it('approving after expiry is recorded as refused because it expired', async () => {
    const { h, approval, approve } = await requested();
    h.clock.advance(16 * 60_000);
    await h.click(approve, h.people.bob);
    const records = await refusals(h);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      actor: { userId: 'bob' },
      data: { attempt: 'approve', reason: 'expired', approvalId: approval.id, state: 'expired' },
    });
    expect(h.gateway.ran.some((op) => op.kind === 'restart-service')).toBe(false);
  });

  it('a viewer requesting a state-changing step is recorded too', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.carol);
    const records = await refusals(h);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      actor: { userId: 'carol' },
      data: { attempt: 'request', reason: 'not-operator', operation: { kind: 'restart-service', server: 'MBX1' } },
    });
  });

  it('an approval id that does not exist is recorded as refused', async () => {
    const h = await createHarness('healthy');
    const outcome = await h.engine.decide({ approvalId: 'forged', actor: h.people.bob, decision: 'approve' });
    expect(outcome.ok).toBe(false);
    expect((await refusals(h)).map((r) => r.data)).toEqual([
      { attempt: 'approve', reason: 'unknown-approval', approvalId: 'forged' },
    ]);
  });

  it('shows each refusal in the timeline export, in English and German', async () => {
    const { h, approve } = await requested();
    await h.click(approve, h.people.alice);
    await h.click(approve, h.people.carol);
    await h.click(approve, h.people.bob);
    await h.click(approve, h.people.dave);
    const incident = (await h.store.listIncidents(1))[0]!;
    const translator = createTranslator(join(import.meta.dirname, '../../locales'));
    const records = await h.store.readAudit({ incidentId: incident.id });
    const en = timelineMarkdown(translator.for('en'), incident, records);
    expect(en).toContain('alice tried to approve Restart MSExchangeIMAP4BE on MBX1: refused, it was their own request');
    expect(en).toContain('carol tried to approve Restart MSExchangeIMAP4BE on MBX1: refused, they are not an approver');
    expect(en).toContain(
      'dave tried to approve Restart MSExchangeIMAP4BE on MBX1: refused, it had already been decided',
    );
    const de = timelineMarkdown(translator.for('de'), incident, records);
    expect(de).toContain(
      'carol wollte MSExchangeIMAP4BE auf MBX1 neu starten freigeben: abgelehnt, keine Berechtigung zum Freigeben',
    );
  });
});
