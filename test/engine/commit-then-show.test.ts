/**
 * Commit first, then show (issue 18, fault 7). A person may click a button the moment it
 * appears; the state the card was drawn from must already be stored, or the click is judged
 * against the previous state and refused as stale.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, Card, ChatSurface, ConversationRef } from '../../src/core/index.ts';
import { RecordingSurface } from '../../src/cli/surface.ts';
import type { Harness } from './harness.ts';
import { cardText, createHarness } from './harness.ts';

/** A surface whose person clicks a button inside the very call that shows it. */
class EagerClicker implements ChatSurface {
  readonly inner = new RecordingSurface();
  readonly capabilities = this.inner.capabilities;
  harness?: Harness;
  clicked = false;
  constructor(private readonly match: RegExp) {}
  private async maybeClick(card: Card): Promise<void> {
    const button = card.actions.find((a) => this.match.test(a.label));
    if (!button || this.clicked || !this.harness) return;
    this.clicked = true;
    await this.harness.click(button.id, this.harness.people.alice);
  }
  async post(conversation: ConversationRef, card: Card) {
    const ref = await this.inner.post(conversation, card);
    await this.maybeClick(card);
    return ref;
  }
  async update(conversation: ConversationRef, ref: string, card: Card) {
    await this.inner.update(conversation, ref, card);
    await this.maybeClick(card);
  }
  notify(conversation: ConversationRef, actor: Actor, card: Card) {
    return this.inner.notify(conversation, actor, card);
  }
}

describe('a click that arrives as soon as the card shows', () => {
  it('is judged against the state the card shows, not refused as stale', async () => {
    const surface = new EagerClicker(/Restart MSExchangeIMAP4BE/);
    const h = await createHarness('imap-backend-hang', { overrides: { surfaces: () => surface } });
    surface.harness = h;
    await h.ask("what's wrong with IMAP on server1?");
    expect(surface.clicked).toBe(true);
    const refusals = surface.inner.messages.filter((m) => m.privateTo).map((m) => cardText(m.card));
    expect(refusals).toEqual([]);
    expect(await h.store.listApprovals({ states: ['pending'] })).toHaveLength(1);
  });

  it('leaves the newest committed state on the card when two changes show in the opposite order', async () => {
    // The "All steps" card is held back until the rerun's newer card has been shown, so the older
    // card lands last: the publisher that showed it must notice and show the newest state again.
    const inner = new RecordingSurface();
    let heldSeen!: () => void;
    const held = new Promise<void>((resolve) => (heldSeen = resolve));
    let releaseHeld!: () => void;
    const release = new Promise<void>((resolve) => (releaseHeld = resolve));
    let holding = true;
    const surface: ChatSurface = {
      capabilities: inner.capabilities,
      post: (c, card) => inner.post(c, card),
      notify: (c, a, card) => inner.notify(c, a, card),
      async update(c, ref, card) {
        const text = cardText(card);
        if (holding && text.includes('Recovery steps for')) {
          holding = false;
          heldSeen();
          await release;
        } else if (!holding && !card.title.startsWith('Checking')) releaseHeld();
        await inner.update(c, ref, card);
      },
    };
    const h = await createHarness('imap-backend-hang', { overrides: { surfaces: () => surface } });
    await h.ask("what's wrong with IMAP on server1?");
    const diagnosis = [...inner.messages].reverse().find((m) => m.card.kind === 'diagnosis')!.card;
    await Promise.all([
      h.click(h.button(diagnosis, /All steps/), h.people.alice),
      held.then(() => h.click(h.button(diagnosis, /Rerun probe/), h.people.bob)),
    ]);
    const [incident] = await h.store.listIncidents(1);
    expect(incident!.extra).toBeUndefined();
    const shown = inner.messages.find((m) => m.ref === incident!.messageRef)!.card;
    expect(cardText(shown)).not.toContain('Recovery steps for');
    expect(inner.messages.filter((m) => m.privateTo)).toEqual([]);
  });
});

describe('every refusal is told to the person who clicked', () => {
  it('says so when "All steps" is clicked for a monitor the incident no longer walks', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    const allSteps = h.button(h.lastCard('diagnosis'), /All steps/);
    // The incident moved on to another monitor since the card was drawn.
    const [incident] = await h.store.listIncidents(1);
    await h.store.updateIncident({
      ...incident!,
      ladder: { monitor: 'SomeOtherMonitor', position: 0 },
      version: incident!.version + 1,
    });
    await h.click(allSteps, h.people.bob);
    expect(h.privateTo('bob')).toHaveLength(1);
    expect(cardText(h.privateTo('bob')[0])).toMatch(/older state/);
  });
});
