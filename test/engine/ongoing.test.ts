/**
 * Asked again about a problem someone is on: the card names the open incident or the pending
 * approval, who is on it and since when, and goes on from its step, never from step 1; the fresh
 * read is still made and shown.
 */
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/core/index.ts';
import type { Harness } from './harness.ts';
import { cardText, createHarness } from './harness.ts';

/** The diagnosis card of the conversation's newest incident (the recording surface keeps no conversation). */
async function cardIn(h: Harness, conversation: string): Promise<Card> {
  const incident = (await h.store.listIncidents(50))
    .filter((i) => i.conversation === conversation)
    .sort((a, b) => b.openedAt.localeCompare(a.openedAt) || b.id.localeCompare(a.id))[0];
  const message = h.surface.messages.find((m) => m.ref === incident?.messageRef);
  if (!message) throw new Error(`no card in ${conversation}`);
  return message.card;
}

const question = "what's wrong with IMAP on server1?";

describe('an open incident or pending approval is named when the problem is asked about again', () => {
  it("in the same conversation, asked in another language: the whole card stays in the incident's language", async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask(question);
    await h.ask('was ist mit IMAP auf server1 los?', h.people.dave);
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toMatch(
      /Asked again: this is incident #\w+, opened by alice at 14:00\..* step 1 of \d+: Restart MSExchangeIMAP4BE on MBX1/s,
    );
    expect(text).not.toMatch(/neu starten/);
  });

  it('in the same conversation: the same incident, read afresh, goes on from its step', async () => {
    const h = await createHarness('imap-unfixable');
    await h.ask(question);
    const first = (await h.store.listIncidents(10))[0]!;
    await h.walkUntil(/^Rerun IMAP\.Proxy/);
    h.clock.advance(5 * 60_000);
    const probesBefore = h.gateway.ran.filter((op) => op.kind === 'invoke-probe').length;
    await h.ask('imap on server1 still broken?', h.people.dave);
    const incidents = await h.store.listIncidents(10);
    expect(incidents).toHaveLength(1);
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain(`Asked again: this is incident #${first.id.slice(0, 8)}, opened by alice at 14:00`);
    expect(text).toMatch(/Next step 2\/13: Rerun IMAP\.Proxy/);
    // The fresh read: the probe ran again, and the card says what it found now.
    expect(h.gateway.ran.filter((op) => op.kind === 'invoke-probe').length).toBeGreaterThan(probesBefore);
    expect(text).toContain('Probe rerun: IMAP.Proxy\\ImapProxyTestProbe on SERVER1 → Failed');
    expect(h.lastCard('diagnosis')?.actions[0]?.label).toMatch(/^Rerun IMAP\.Proxy/);
  });

  it('in another conversation: a fresh card names the pending approval, who asked and who may approve, and offers its step', async () => {
    const h = await createHarness('imap-unfixable');
    await h.ask(question);
    await h.click(h.button(h.lastCard('diagnosis'), /^Restart MSExchangeIMAP4/), h.people.alice);
    const first = (await h.store.listIncidents(10))[0]!;
    h.clock.advance(2 * 60_000);
    await h.ask(question, h.people.bob, 'test:c2');
    const card = await cardIn(h, 'test:c2');
    const text = cardText(card);
    const ref = `#${first.id.slice(0, 8)}`;
    expect(text).toContain(`Already open in another conversation: incident ${ref}, opened by alice at 14:00`);
    expect(text).toContain('It is on step 1 of 13: Restart MSExchangeIMAP4 on SERVER1');
    expect(text).toMatch(
      /alice requested approval for Restart MSExchangeIMAP4 on SERVER1 at 14:00; waiting for 1 more from bob@contoso\.com, dave@contoso\.com/,
    );
    // Still the fresh read: the card of the new question is a diagnosis of its own.
    expect(text).toContain('Probe rerun: IMAP.Proxy\\ImapProxyTestProbe on SERVER1 → Failed');
    // Step 1 is where the other one is: nothing to continue from yet.
    expect(card.actions.map((a) => a.label)).not.toContainEqual(expect.stringMatching(/^Continue/));
  });

  it('in another conversation: "Continue from step N" takes over the step reached there, on the record', async () => {
    const h = await createHarness('imap-unfixable');
    await h.ask(question);
    const first = (await h.store.listIncidents(10))[0]!;
    await h.walkUntil(/^Rerun IMAP\.Proxy/);
    await h.ask(question, h.people.dave, 'test:c2');
    let c2 = await cardIn(h, 'test:c2');
    const inC2 = () => c2;
    expect(cardText(inC2())).toContain('It is on step 2 of 13: Rerun IMAP.Proxy\\ImapProxyTestProbe on SERVER1');
    expect(cardText(inC2())).toMatch(/Next step 1\/13: Restart/);
    await h.click(h.button(inC2(), /^Continue from step 2$/), h.people.dave, 'test:c2');
    c2 = await cardIn(h, 'test:c2');
    expect(cardText(inC2())).toMatch(/Next step 2\/13: Rerun IMAP\.Proxy/);
    expect(cardText(inC2())).toContain(`dave continued from incident #${first.id.slice(0, 8)}: on at step 2.`);
    expect(inC2().actions.map((a) => a.label)).not.toContainEqual(expect.stringMatching(/^Continue/));
    const second = (await h.store.listIncidents(10)).find((i) => i.id !== first.id)!;
    const moves = (await h.store.readAudit({ incidentId: second.id })).filter((r) => r.type === 'ladder');
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      actor: { displayName: 'dave' },
      data: { move: 'continued', fromIncident: `#${first.id.slice(0, 8)}`, from: 1, to: 2 },
    });
  });

  it('refuses to continue from an incident that was closed meanwhile', async () => {
    const h = await createHarness('imap-unfixable');
    await h.ask(question);
    const first = (await h.store.listIncidents(10))[0]!;
    await h.walkUntil(/^Rerun IMAP\.Proxy/);
    await h.ask(question, h.people.dave, 'test:c2');
    const inC2 = await cardIn(h, 'test:c2');
    await h.store.updateIncident({
      ...(await h.store.getIncident(first.id))!,
      status: 'closed',
      version: (await h.store.getIncident(first.id))!.version + 1,
    });
    await h.click(h.button(inC2, /^Continue from step 2$/), h.people.dave, 'test:c2');
    expect(cardText(h.privateTo('dave').at(-1))).toContain(`Incident #${first.id.slice(0, 8)} is no longer open`);
  });

  it('a problem nobody is on starts at step 1 and names nothing', async () => {
    const h = await createHarness('imap-unfixable');
    await h.ask(question);
    await h.ask('imap on server2', h.people.bob, 'test:c2');
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).not.toMatch(/Already open|Asked again/);
  });
});
