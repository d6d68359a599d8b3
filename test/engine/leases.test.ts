/**
 * Replicas that trust each other (issue 18, faults 3, 4, 5 and 6). Two engines share one store
 * that is not exclusive (as PostgreSQL is shared); each has its own clock, lab and process id.
 * - A starting or sweeping replica never takes over an execution whose owner still renews its
 *   lease; only an expired lease is taken over.
 * - Running replicas sweep on an interval (through `tick` and the injected clock): approvals left
 *   `approved` are run, executions left `executing` by a dead owner are settled.
 * - A step with no action-started record is `not-started` and offered again, never "unknown".
 * - An incident left in `checking` is diagnosed again.
 */
import { describe, expect, it } from 'vitest';
import type { ExchangeGateway, Incident, Store } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import type { Harness } from './harness.ts';
import { cardText, createHarness } from './harness.ts';

const LEASE_MS = 60_000;

/** A gateway whose restarts wait for the test to let them finish. */
function gatedRestarts() {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const wrap = (lab: ExchangeGateway): ExchangeGateway => ({
    listServers: () => lab.listServers(),
    health: () => lab.health(),
    close: () => lab.close(),
    run: (async (op: Parameters<ExchangeGateway['run']>[0], options?: Parameters<ExchangeGateway['run']>[1]) => {
      if (op.kind === 'restart-service') {
        started();
        await released;
      }
      return lab.run(op as never, options);
    }) as ExchangeGateway['run'],
  });
  return { wrap, running, release };
}

async function twoReplicas(gateA?: (lab: ExchangeGateway) => ExchangeGateway) {
  const shared: Store = { ...createMemoryStore(), exclusive: false };
  const a = await createHarness('imap-backend-hang', {
    store: shared,
    ...(gateA ? { wrapGateway: gateA } : {}),
    overrides: { instanceId: 'replica-a', executionLeaseMs: LEASE_MS },
  });
  const b = await createHarness('imap-backend-hang', {
    store: shared,
    overrides: { instanceId: 'replica-b', executionLeaseMs: LEASE_MS },
  });
  await a.ask("what's wrong with IMAP on server1?");
  await a.click(a.button(a.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/), a.people.alice);
  const approval = (await shared.listApprovals({ states: ['pending'] }))[0]!;
  const approve = a.button(a.lastCard('approval'), /^Approve$/);
  return { a, b, shared, approval, approve };
}

const advance = (ms: number, ...hs: Harness[]) => hs.forEach((h) => h.clock.advance(ms));
const restarts = (...hs: Harness[]) =>
  hs.flatMap((h) => h.gateway.ran).filter((op) => op.kind === 'restart-service').length;

describe('executions carry an owner and a lease', () => {
  it('a starting replica and a sweeping one leave a live execution alone; it finishes as it really did', async () => {
    const gate = gatedRestarts();
    const { a, b, shared, approval, approve } = await twoReplicas(gate.wrap);
    const clicked = a.click(approve, a.people.bob);
    await gate.running;
    expect(await shared.getApproval(approval.id)).toMatchObject({
      state: 'executing',
      execution: { owner: 'replica-a' },
    });

    expect(await b.engine.recover()).toMatchObject({ outcomeUnknown: 0, notStarted: 0 });
    // Past the first lease, but A renewed it on its tick.
    advance(50_000, a, b);
    await a.engine.tick();
    advance(50_000, a, b);
    await b.engine.tick();
    expect((await shared.getApproval(approval.id))?.state).toBe('executing');

    gate.release();
    await clicked;
    expect((await shared.getApproval(approval.id))?.state).toBe('succeeded');
    expect(restarts(a, b)).toBe(1);
  });

  it('a running replica takes over an execution whose owner stopped renewing: outcome unknown, never rerun', async () => {
    const gate = gatedRestarts();
    const { a, b, shared, approval, approve } = await twoReplicas(gate.wrap);
    const clicked = a.click(approve, a.people.bob); // A "dies" inside the restart: it never ticks again
    await gate.running;
    advance(LEASE_MS + 1, b);
    await b.engine.tick();
    const taken = await shared.getApproval(approval.id);
    expect(taken?.state).toBe('outcome-unknown');
    expect(cardText(b.lastCard('approval'))).toMatch(/cannot tell whether this ran/);
    // The owner comes back to life after all: its late result is recorded, not the approval overwritten.
    gate.release();
    await clicked;
    expect((await shared.getApproval(approval.id))?.state).toBe('outcome-unknown');
    const finished = (await shared.readAudit({ incidentId: approval.incidentId })).filter(
      (r) => r.type === 'action-finished',
    );
    expect(finished.map((r) => r.data.state)).toEqual(['outcome-unknown', 'succeeded']);
    expect(finished[1]!.data.storedAs).toBe('outcome-unknown');
    expect(restarts(a, b)).toBe(1);
  });

  it('a running replica runs an approval left approved by a dead one, once', async () => {
    const { a, b, shared, approval } = await twoReplicas();
    const pending = (await shared.getApproval(approval.id))!;
    const decidedAt = a.clock.now().toISOString();
    // The deciding vote was stored; the process died before it started the execution.
    await shared.updateApproval({
      ...pending,
      state: 'approved',
      approvals: [{ actor: a.people.bob, at: decidedAt }],
      version: pending.version + 1,
    });
    advance(5_000, b);
    await b.engine.tick(); // too early: the decider may still be starting it
    expect((await shared.getApproval(approval.id))?.state).toBe('approved');
    advance(30_000, b);
    await b.engine.tick();
    expect((await shared.getApproval(approval.id))?.state).toBe('succeeded');
    await a.engine.tick();
    expect(restarts(a, b)).toBe(1);
  });
});

describe('a step that never started', () => {
  it('is "not started" and offered again, never "outcome unknown"', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    await h.click(h.button(h.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/), h.people.alice);
    const approval = (await h.store.listApprovals({ states: ['pending'] }))[0]!;
    // Died between approved → executing and the action-started record: nothing reached Exchange.
    await h.store.updateApproval({
      ...approval,
      state: 'executing',
      approvals: [{ actor: h.people.bob, at: h.clock.now().toISOString() }],
      execution: { owner: 'dead', startedAt: h.clock.now().toISOString(), leaseUntil: h.clock.now().toISOString() },
      version: approval.version + 1,
    });
    const report = await h.engine.recover();
    expect(report).toMatchObject({ outcomeUnknown: 0, notStarted: 1 });
    expect((await h.store.getApproval(approval.id))?.state).toBe('not-started');
    expect(cardText(h.lastCard('approval'))).toMatch(/nothing reached Exchange/);
    expect(cardText(h.lastCard('approval'))).not.toMatch(/outcome unknown/i);
    // Offered again: the same step can be requested anew, and then runs.
    await h.click(h.button(h.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/), h.people.alice);
    const again = (await h.store.listApprovals({ states: ['pending'] }))[0]!;
    expect(again.id).not.toBe(approval.id);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    expect((await h.store.getApproval(again.id))?.state).toBe('succeeded');
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
  });
});

describe('an interrupted diagnosis', () => {
  it('is run again on recovery instead of staying "checking" for good', async () => {
    const h = await createHarness('imap-backend-hang');
    const now = h.clock.now().toISOString();
    // What a kill during the diagnosis leaves: the incident stored as checking, its card posted.
    const ref = await h.surface.post('test:c1', {
      kind: 'diagnosis',
      severity: 'info',
      title: 'Checking IMAP on SERVER1…',
      facts: [],
      sections: [],
      actions: [],
    });
    const stuck: Incident = {
      id: 'stuck-1',
      conversation: 'test:c1',
      server: 'SERVER1',
      healthSet: 'IMAP',
      openedBy: h.people.alice,
      openedAt: now,
      question: "what's wrong with IMAP on server1?",
      locale: 'en',
      status: 'checking',
      findings: [],
      messageRef: ref,
      version: 2,
      updatedAt: now,
    };
    await h.store.insertIncident(stuck);
    const report = await h.engine.recover();
    expect(report.rediagnosed).toBe(1);
    const after = await h.store.getIncident('stuck-1');
    expect(after?.status).toBe('confirmed');
    const card = h.surface.messages.find((m) => m.ref === ref)!.card;
    expect(card.title).toBe('IMAP on SERVER1: problem confirmed');
    expect(cardText(card)).toMatch(/restarted while this was being checked/);
  });
});

describe('a pending approval whose expiry timer was lost', () => {
  it('still expires: the sweep expires pending approvals past their time', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    await h.click(h.button(h.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/), h.people.alice);
    const approval = (await h.store.listApprovals({ states: ['pending'] }))[0]!;
    await h.store.completeTimer(`expire:${approval.id}`); // as if the process died before writing it
    h.clock.advance(16 * 60_000);
    await h.engine.tick();
    expect((await h.store.getApproval(approval.id))?.state).toBe('expired');
    expect(cardText(h.lastCard('approval'))).toMatch(/Expired/);
  });
});
