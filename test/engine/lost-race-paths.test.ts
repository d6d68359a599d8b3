/**
 * A lost compare-and-set on every path that changes a card (a probe rerun, an approval request,
 * a vote, an escalation): another change commits between the flow's read and its write, once.
 * The flow re-applies its change to the newer version; nothing is thrown at the person, the card
 * is updated in place (never posted a second time), and both changes are kept.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import type { Harness } from './harness.ts';
import { createHarness } from './harness.ts';

/** A store whose next incident write, once armed, loses to a change committed just before it. */
function racingStore() {
  const inner = createMemoryStore();
  const state = { armed: false, lost: 0 };
  const store: Store = Object.create(inner) as Store;
  store.updateIncident = async (next) => {
    if (state.armed) {
      state.armed = false;
      const current = (await inner.getIncident(next.id))!;
      await inner.updateIncident({
        ...current,
        version: current.version + 1,
        question: `${current.question} (theirs)`,
      });
      const won = await inner.updateIncident(next);
      if (!won) state.lost++;
      return won;
    }
    return inner.updateIncident(next);
  };
  return { store, state };
}

const PATHS: readonly [string, (h: Harness) => Promise<void>][] = [
  ['a probe rerun', (h) => h.click(h.button(h.lastCard('diagnosis'), /Rerun/), h.people.bob)],
  [
    'an approval request',
    (h) => h.click(h.button(h.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/), h.people.alice),
  ],
  ['a vote on an approval', (h) => h.click(h.button(h.lastCard('approval'), /^Reject$/), h.people.bob)],
  ['an escalation', (h) => h.click(h.button(h.lastCard('diagnosis'), /Escalate/), h.people.alice)],
];

describe('a lost compare-and-set on every card-changing path', () => {
  it.each(PATHS)('%s: re-applied to the newer version, no error, no second post', async (name, act) => {
    const { store, state } = racingStore();
    const h = await createHarness('imap-backend-hang', { store });
    await h.ask("what's wrong with IMAP on server1?");
    if (name === 'a vote on an approval')
      await h.click(h.button(h.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/), h.people.alice);
    const diagnosisPosts = () => h.surface.messages.filter((m) => !m.privateTo && m.card.kind === 'diagnosis').length;
    expect(diagnosisPosts()).toBe(1);
    state.armed = true;
    await act(h);
    expect(state.lost).toBe(1);
    // Nobody was told about an error; the card was updated in place, not posted again.
    expect(h.surface.messages.filter((m) => m.privateTo && m.card.severity === 'critical')).toEqual([]);
    expect(diagnosisPosts()).toBe(1);
    const [incident] = await store.listIncidents(5);
    expect(incident?.question).toMatch(/\(theirs\)$/);
    expect((await store.readAudit()).filter((r) => r.type === 'error')).toEqual([]);
  });
});
