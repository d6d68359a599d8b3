/**
 * Walking a whole ladder on the lab: every step in order, approvals by a second person, the
 * policy's two approvers for a Mailbox server restart, and the precondition that a Mailbox server
 * is restarted only when it holds no mounted database copy, checked again at execution.
 */
import { describe, expect, it } from 'vitest';
import type { DatabaseCopy, ExchangeGateway } from '../../src/core/index.ts';
import type { Harness } from './harness.ts';
import { cardText, createHarness } from './harness.ts';

/** Clicks the next step on the diagnosis card as alice and returns its label. */
async function nextStep(h: Harness): Promise<string> {
  const action = h.lastCard('diagnosis')!.actions[0]!;
  await h.click(action.id, h.people.alice);
  return action.label;
}

async function approveAs(h: Harness, ...people: (keyof Harness['people'])[]): Promise<void> {
  for (const p of people) await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people[p]);
}

describe('walking the IMAP proxy ladder on SERVER1 (nothing mends it)', () => {
  it('moves databases first, needs two approvers for the restart, re-checks copies at execution, and ends in escalation', async () => {
    const h = await createHarness('imap-unfixable');
    await h.ask('imap proxy on server1');
    expect(h.lastCard('diagnosis')?.title).toBe('IMAP.Proxy on SERVER1: problem confirmed');

    expect(await nextStep(h)).toBe('Restart MSExchangeIMAP4 on SERVER1');
    await approveAs(h, 'bob');
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/still fail/i);

    expect(await nextStep(h)).toMatch(/IMAP\.Proxy\\ImapProxyTestProbe/);
    expect(await nextStep(h)).toMatch(/Move the active databases off SERVER1|databases/i);
    await approveAs(h, 'bob');
    expect(await nextStep(h)).toMatch(/database copies on SERVER1/i);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/DB02.*Healthy|Healthy.*DB02/s);

    await h.walkUntil(/^Restart the server SERVER1$/);
    expect(await nextStep(h)).toBe('Restart the server SERVER1');
    const restart = (await h.store.listApprovals({ states: ['pending'] }))[0]!;
    expect(restart.requiredApprovals).toBe(2);
    await approveAs(h, 'bob');
    expect(h.gateway.ran.some((op) => op.kind === 'restart-server')).toBe(false);
    expect(cardText(h.lastCard('approval'))).toMatch(/1\/2|1 of 2/);

    // Between the approvals someone fails DB02 back to SERVER1: the restart must not run.
    const run = h.gateway.run;
    h.gateway.run = (async (
      op: Parameters<ExchangeGateway['run']>[0],
      options?: Parameters<ExchangeGateway['run']>[1],
    ) => {
      const result = await run(op as never, options);
      if (op.kind !== 'get-database-copy-status') return result;
      return (result as DatabaseCopy[]).map((c) => (c.database === 'DB02' ? { ...c, status: 'Mounted' } : c));
    }) as ExchangeGateway['run'];
    await approveAs(h, 'dave');
    expect(h.gateway.ran.some((op) => op.kind === 'restart-server')).toBe(false);
    expect((await h.store.getApproval(restart.id))?.state).toBe('failed');
    expect(cardText(h.lastCard('approval')) + cardText(h.lastCard('diagnosis'))).toMatch(
      /SERVER1 still holds 1 mounted database copy \(DB02\)/,
    );

    // With the copy moved off again, a new request runs.
    h.gateway.run = run;
    expect(await nextStep(h)).toBe('Restart the server SERVER1');
    await approveAs(h, 'bob', 'dave');
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-server')).toHaveLength(1);
    await h.waitOutReboots();

    // Back online and transport active before the probe judges anything.
    expect(await h.walkUntil(/ImapProxyTestProbe/)).toEqual([
      'Set ServerWideOffline Active on SERVER1 (requester Maintenance)',
      'Set HubTransport Active on SERVER1 (requester Maintenance)',
    ]);
    expect(await nextStep(h)).toMatch(/ImapProxyTestProbe/);
    expect(await nextStep(h)).toMatch(/Allow .*SERVER1|activation/i);
    await approveAs(h, 'bob');
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toMatch(/^Escalate/);
    await nextStep(h);
    const timeline = cardText(h.lastCard('timeline'));
    expect(timeline).toMatch(/Restart the server SERVER1/);
    expect(timeline).toMatch(/bob/);
    expect(h.lastCard('diagnosis')?.title).toMatch(/escalated/);
  });
});
