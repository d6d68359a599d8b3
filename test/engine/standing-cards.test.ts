/**
 * The cards that still ask for something, drawn again from the store for a surface that lost its
 * history (the web chat after a restart): in order, with buttons that work.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.ts';
import { createEngine } from '../../src/core/engine/index.ts';

describe('standing cards', () => {
  it('gives the open incident and its pending approval, oldest first, and a new engine on the same store can approve from them', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask('is IMAP ok on server1?', h.people.bob, 'other:c2');
    await h.ask("what's wrong with IMAP on server1?");
    h.clock.advance(60_000);
    await h.click(h.button(h.lastCard('diagnosis'), /^Restart MSExchangeIMAP4BE on MBX1$/), h.people.alice);

    // Another process on the same store: nothing of the first one's memory.
    const engine = createEngine(h.deps);
    const cards = await engine.standingCards!((c) => c.startsWith('test:'));
    expect(cards.map((c) => c.card.kind)).toEqual(['diagnosis', 'approval']);
    expect(cards.every((c) => c.conversation === 'test:c1')).toBe(true);
    expect(cards[0]!.question).toEqual({ text: "what's wrong with IMAP on server1?", by: 'alice' });
    const incident = (await h.store.listIncidents(10)).find((i) => i.conversation === 'test:c1')!;
    expect(cards[0]!.messageRef).toBe(incident.messageRef);

    const approve = cards[1]!.card.actions.find((a) => a.label === 'Approve')!;
    await engine.handle({
      kind: 'action',
      eventId: 'again-1',
      conversation: 'test:c1',
      actor: h.people.bob,
      actionId: approve.id,
    });
    expect(h.gateway.ran.filter((op) => op.kind === 'restart-service')).toHaveLength(1);
    expect(await engine.standingCards!((c) => c.startsWith('test:'))).toEqual([]);
  });

  it('leaves out expired approvals and conversations the surface does not own', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    await h.click(h.button(h.lastCard('diagnosis'), /^Restart MSExchangeIMAP4BE on MBX1$/), h.people.alice);
    expect(await h.engine.standingCards!(() => false)).toEqual([]);
    h.clock.advance(16 * 60_000);
    expect((await h.engine.standingCards!(() => true)).map((c) => c.card.kind)).toEqual(['diagnosis']);
  });
});
