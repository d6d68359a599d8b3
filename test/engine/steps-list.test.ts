/** The "All steps" list is clickable: every step can be jumped to, on the record; a jump runs nothing. */
import { describe, expect, it } from 'vitest';
import { cardText, createHarness } from './harness.ts';

const question = "what's wrong with ECP on server1?";

describe('jumping to a step from the list of steps', () => {
  it('offers every step but the current one, numbered like the list, only while the list is open', async () => {
    const h = await createHarness('ecp-apppool');
    await h.ask(question);
    expect(h.lastCard('diagnosis')!.actions.some((a) => a.label.startsWith('Go to step'))).toBe(false);
    await h.click(h.button(h.lastCard('diagnosis'), /^All steps$/), h.people.alice);
    const labels = h
      .lastCard('diagnosis')!
      .actions.map((a) => a.label)
      .filter((l) => l.startsWith('Go to step'));
    expect(labels).toHaveLength(19);
    expect(labels[0]).toBe('Go to step 2');
    expect(labels.at(-1)).toBe('Go to step 20');
  });

  it('a jump is audited (who, from which step to which) and a state-changing step jumped to still needs its approval', async () => {
    const h = await createHarness('ecp-apppool');
    await h.ask(question);
    await h.click(h.button(h.lastCard('diagnosis'), /^All steps$/), h.people.alice);
    h.clock.advance(60_000);
    const ranBefore = h.gateway.ran.length;
    await h.click(h.button(h.lastCard('diagnosis'), /^Go to step 6$/), h.people.dave);
    // Nothing ran against Exchange: a jump only moves the ladder.
    expect(h.gateway.ran.slice(ranBefore).filter((op) => op.kind === 'recycle-app-pool')).toEqual([]);
    const card = h.lastCard('diagnosis')!;
    expect(cardText(card)).toMatch(
      /Next step 6\/20: Recycle MSExchangeECPAppPool on SERVER1 \(needs a second person's approval\)/,
    );
    expect(cardText(card)).toContain('dave went from step 1 to step 6: Recycle MSExchangeECPAppPool on SERVER1.');
    // The list closed with the change: no jump buttons left over.
    expect(card.actions.some((a) => a.label.startsWith('Go to step'))).toBe(false);
    const [incident] = await h.store.listIncidents(5);
    const jumps = (await h.store.readAudit({ incidentId: incident!.id })).filter((r) => r.type === 'ladder');
    expect(jumps).toEqual([
      expect.objectContaining({
        at: '2026-11-24T14:01:00.000Z',
        actor: expect.objectContaining({ displayName: 'dave' }),
        data: expect.objectContaining({
          move: 'jumped',
          from: 1,
          to: 6,
          toLabel: 'Recycle MSExchangeECPAppPool on SERVER1',
        }),
      }),
    ]);
    // The step's own button asks for confirmation and then for an approval; nothing runs until it is given.
    const step = card.actions[0]!;
    expect(step.confirm?.title).toBe('Request approval?');
    await h.click(step.id, h.people.dave);
    const pending = await h.store.listApprovals({ states: ['pending'] });
    expect(pending).toHaveLength(1);
    expect(pending[0]!.operation.kind).toBe('recycle-app-pool');
    expect(h.gateway.ran.filter((op) => op.kind === 'recycle-app-pool')).toEqual([]);
  });

  it('a jump back is allowed; a jump on a card whose ladder changed is refused', async () => {
    const h = await createHarness('ecp-apppool');
    await h.ask(question);
    await h.click(h.button(h.lastCard('diagnosis'), /^Skip$/), h.people.alice);
    await h.click(h.button(h.lastCard('diagnosis'), /^All steps$/), h.people.alice);
    const list = h.lastCard('diagnosis')!;
    await h.click(h.button(list, /^Go to step 1$/), h.people.alice);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/Next step 1\/20: Read the HTTP proxy log/);
    // The lab's fault mended: the incident is no longer confirmed, a leftover jump button is refused.
    const [incident] = await h.store.listIncidents(5);
    await h.store.updateIncident({ ...incident!, status: 'resolved', version: incident!.version + 1 });
    await h.click(h.button(list, /^Go to step 3$/), h.people.alice);
    expect(cardText(h.privateTo('alice').at(-1))).toContain('older state of this card');
  });
});
