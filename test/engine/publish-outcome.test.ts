/**
 * One reply path: a card change is committed first and shown after, and a lost compare-and-set
 * is a value the caller handles: nothing is shown for it, nothing is thrown, nothing posted twice.
 */
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/engine/context.ts';
import { changeIncident } from '../../src/core/engine/incident-updates.ts';
import { publish } from '../../src/core/engine/publish.ts';
import { createHarness } from './harness.ts';

describe('publish', () => {
  it('returns "not committed" for a stale version and shows nothing for it', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    const [incident] = await h.store.listIncidents(5);
    const ctx = createContext({ ...h.deps, surfaces: () => h.surface });
    const before = h.surface.messages.map((m) => ({ ...m }));
    // A version behind what is stored: someone else's change already won.
    const outcome = await publish(ctx, { ...incident!, version: incident!.version - 1, question: 'stale' });
    expect(outcome).toEqual({ committed: false });
    expect(h.surface.messages).toEqual(before);
    expect((await h.store.getIncident(incident!.id))?.question).not.toBe('stale');
  });

  it('re-applies a change to the newer version when the race is lost, and shows each committed version once', async () => {
    const h = await createHarness('imap-backend-hang');
    await h.ask("what's wrong with IMAP on server1?");
    const [incident] = await h.store.listIncidents(5);
    let raced = false;
    // Another flow commits between our read and our compare-and-set, once.
    const store: typeof h.store = Object.create(h.store) as typeof h.store;
    store.updateIncident = async (next) => {
      if (!raced) {
        raced = true;
        const current = (await h.store.getIncident(next.id))!;
        await h.store.updateIncident({ ...current, version: current.version + 1, question: 'theirs' });
      }
      return h.store.updateIncident(next);
    };
    const ctx = createContext({ ...h.deps, store, surfaces: () => h.surface });
    const updated = await changeIncident(ctx, incident!.id, (current) => ({
      ...current,
      lastEvent: { key: 'step.checked', vars: { who: 'Alice', label: 'x' } },
    }));
    expect(raced).toBe(true);
    expect(updated.question).toBe('theirs');
    expect(updated.lastEvent?.key).toBe('step.checked');
    expect(updated.version).toBe(incident!.version + 2);
  });
});
