/** Manual steps get "Done" and "Skip": each audited with who and when, the ladder moving on accordingly. */
import { describe, expect, it } from 'vitest';
import { cardText, createHarness } from './harness.ts';

const question = "what's wrong with ECP on server1?";
const probes = (h: Awaited<ReturnType<typeof createHarness>>) =>
  h.gateway.ran.filter((op) => op.kind === 'invoke-probe').length;

describe('manual steps', () => {
  it('shows what to do in the body, with short Done and Skip buttons instead of the instruction as a label', async () => {
    const h = await createHarness('ecp-apppool');
    await h.ask(question);
    const card = h.lastCard('diagnosis')!;
    expect(card.actions.slice(0, 2).map((a) => a.label)).toEqual(['Done', 'Skip']);
    expect(cardText(card)).toContain('Read the HTTP proxy log for ECP on server1.contoso.com');
    expect(card.sections).toContainEqual({ kind: 'code', text: '%ExchangeInstallPath%Logging\\HttpProxy\\Ecp' });
  });

  it('Done: audited with who and when, the server is read again, and the next step is offered', async () => {
    const h = await createHarness('ecp-apppool');
    await h.ask(question);
    h.clock.advance(3 * 60_000);
    const before = probes(h);
    await h.click(h.button(h.lastCard('diagnosis'), /^Done$/), h.people.dave);
    expect(probes(h)).toBeGreaterThan(before);
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toMatch(/dave marked “Read the HTTP proxy log for ECP on server1\.contoso\.com[^”]*” done at 14:03/);
    expect(text).toMatch(/Next step 2\/20: Sign in to the admin center/);
    const [incident] = await h.store.listIncidents(5);
    const moves = (await h.store.readAudit({ incidentId: incident!.id })).filter((r) => r.type === 'ladder');
    expect(moves).toEqual([
      expect.objectContaining({
        at: '2026-11-24T14:03:00.000Z',
        actor: expect.objectContaining({ displayName: 'dave' }),
        data: expect.objectContaining({ move: 'done', stepId: expect.any(String) }),
      }),
    ]);
  });

  it('Skip: the next step without a new reading, the step marked skipped in the list and on the record', async () => {
    const h = await createHarness('ecp-apppool');
    await h.ask(question);
    const before = probes(h);
    const first = h.lastCard('diagnosis');
    await h.click(h.button(first, /^Skip$/), h.people.bob);
    expect(probes(h)).toBe(before);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(
      /bob skipped “Read the HTTP proxy log[^”]*” at 14:00; on to the next step\./,
    );
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/Next step 2\/20: Sign in/);
    await h.click(h.button(h.lastCard('diagnosis'), /^All steps$/), h.people.bob);
    const list = h
      .lastCard('diagnosis')!
      .sections.find((s) => s.kind === 'list' && s.items.some((i) => i.startsWith('Read the HTTP proxy log')));
    expect(list && list.kind === 'list' ? list.items[0] : '').toMatch(/\(skipped\)$/);
    const [incident] = await h.store.listIncidents(5);
    expect(
      (await h.store.readAudit({ incidentId: incident!.id }))
        .filter((r) => r.type === 'ladder')
        .map((r) => r.data.move),
    ).toEqual(['skipped']);
    // The old card's "Done" belongs to a step that is behind: refused, nothing recorded.
    await h.click(h.button(first, /^Done$/), h.people.bob);
    expect(cardText(h.privateTo('bob').at(-1))).toContain('older state of this card');
    expect((await h.store.readAudit({ incidentId: incident!.id })).filter((r) => r.type === 'ladder')).toHaveLength(1);
  });
});
