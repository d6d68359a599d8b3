/**
 * Moving active copies back is a separate, approved decision: once activation is allowed again
 * (from the ladder or as an owed put-back on the resolved card), "Move active databases back" is
 * offered as an optional step; it is never walked into, never owed, and the incident closes without it.
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import { cardText, createHarness } from './harness.ts';

async function approveAs(h: Harness, ...people: (keyof Harness['people'])[]): Promise<void> {
  for (const p of people) await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people[p]);
}

/** Walks imap-slow-commands on SERVER2 through the server restart to the resolved card. */
async function walkToResolved(h: Harness): Promise<void> {
  await h.ask('imap on server2');
  for (let i = 0; i < 2; i++) {
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    await approveAs(h, 'bob');
  }
  for (let i = 0; i < 2; i++) {
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    h.clock.advance(10 * 60_000);
    await h.engine.tick();
  }
  await h.walkUntil(/^Restart the server SERVER2$/);
  await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
  await approveAs(h, 'bob', 'dave');
  await h.waitOutReboots();
  expect(h.lastCard('diagnosis')!.title).toBe('IMAP on SERVER2: resolved');
}

const db03 = async (h: Harness) =>
  (await h.gateway.run({ kind: 'get-database-copy-status', server: 'SERVER2' })).find((c) => c.database === 'DB03')
    ?.status;
const MOVE_BACK = /^Optional: Move active databases back to SERVER2/;

describe('moving active copies back after activation is allowed again', () => {
  it('is offered on its own once the put-back ran, needs its approval, and brings DB03 home to SERVER2', async () => {
    const h = await createHarness('imap-slow-commands');
    await walkToResolved(h);
    // DB03 prefers SERVER2; it was moved off before the restart and stays away.
    expect(await db03(h)).toBe('Healthy');
    expect(h.lastCard('diagnosis')!.actions.some((a) => MOVE_BACK.test(a.label))).toBe(false);

    await h.click(h.button(h.lastCard('diagnosis'), /^Put back: Allow database activation/), h.people.alice);
    await approveAs(h, 'bob');
    const offered = h.lastCard('diagnosis')!;
    expect(cardText(offered)).toContain('Optional, a decision of its own with its own approval (1 step):');
    expect(cardText(offered)).toMatch(
      /Move active databases back to SERVER2 \(their preferred copies\): databases whose preferred copy is on SERVER2 switch/,
    );
    // Allowing activation moved nothing by itself.
    expect(await db03(h)).toBe('Healthy');
    expect(h.gateway.ran.some((o) => o.kind === 'rebalance-databases')).toBe(false);

    await h.click(h.button(offered, MOVE_BACK), h.people.alice);
    const approval = h.lastCard('approval')!;
    expect(approval.title).toMatch(/Move active databases back to SERVER2/);
    await approveAs(h, 'bob');
    expect(h.gateway.ran).toContainEqual({ kind: 'rebalance-databases', server: 'SERVER2' });
    expect(await db03(h)).toBe('Mounted');
    const card = h.lastCard('diagnosis')!;
    expect(card.title).toBe('IMAP on SERVER2: resolved');
    expect(card.actions.some((a) => MOVE_BACK.test(a.label))).toBe(false);
    expect(cardText(card)).toContain(
      'Approved by bob · Move active databases back to SERVER2 (their preferred copies) ran.',
    );
    const [incident] = await h.store.listIncidents(1);
    const audit = await h.store.readAudit({ incidentId: incident!.id });
    expect(
      audit.find(
        (r) =>
          r.type === 'action-finished' &&
          r.data.ok === true &&
          String(r.data.detail).startsWith('moved back to SERVER2: DB03'),
      ),
    ).toBeDefined();
  });

  it('is optional: never walked into, never owed, and the incident closes without it', async () => {
    const h = await createHarness('imap-slow-commands');
    await walkToResolved(h);
    for (let i = 0; i < 3; i++) {
      await h.click(h.button(h.lastCard('diagnosis'), /^Put back: /), h.people.alice);
      await approveAs(h, 'bob');
    }
    const [incident] = await h.store.listIncidents(1);
    expect(incident!.owed).toEqual([]);
    expect(incident!.followUps?.map((f) => f.operation)).toEqual([{ kind: 'rebalance-databases', server: 'SERVER2' }]);
    await h.click(h.button(h.lastCard('diagnosis'), /^Close incident$/), h.people.alice);
    const closed = h.lastCard('diagnosis')!;
    expect(closed.title).toBe('IMAP on SERVER2: closed');
    expect(closed.actions.some((a) => MOVE_BACK.test(a.label))).toBe(false);
    expect(h.gateway.ran.some((o) => o.kind === 'rebalance-databases')).toBe(false);
  });

  it('the lab refuses it while SERVER2 is still blocked from activation', async () => {
    const h = await createHarness('imap-slow-commands');
    await walkToResolved(h);
    expect(await h.gateway.run({ kind: 'rebalance-databases', server: 'SERVER2' })).toEqual({
      ok: false,
      detail: 'not moved: activation is blocked on SERVER2; allow it first',
      say: { code: 'rebalanceBlocked', vars: { server: 'SERVER2' } },
    });
  });
});
