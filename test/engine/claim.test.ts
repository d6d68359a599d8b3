/**
 * One de-duplication path: `engine.claim` (what adapters use for events they answer themselves)
 * and `engine.handle` claim event ids through the same store call, at most once per id.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.ts';

describe('engine.claim', () => {
  it('is true once per event id, and an event claimed that way is not handled again', async () => {
    const h = await createHarness('imap-backend-hang');
    expect(await h.engine.claim('adapter:cmd-1')).toBe(true);
    expect(await h.engine.claim('adapter:cmd-1')).toBe(false);
    await h.engine.handle({
      kind: 'message',
      eventId: 'adapter:cmd-1',
      conversation: 'test:c1',
      actor: h.people.alice,
      text: 'help',
    });
    expect(h.surface.messages).toEqual([]);
    await h.engine.handle({
      kind: 'message',
      eventId: 'adapter:cmd-2',
      conversation: 'test:c1',
      actor: h.people.alice,
      text: 'help',
    });
    expect(h.surface.messages.length).toBeGreaterThan(0);
    expect(await h.engine.claim('adapter:cmd-2')).toBe(false);
  });

  it('rejects when the claim cannot be recorded (nothing was done; the event may come again)', async () => {
    const h = await createHarness('imap-backend-hang');
    const failing = await createHarness('imap-backend-hang', {
      overrides: { store: { ...h.store, claimEvent: () => Promise.reject(new Error('store down')) } },
    });
    await expect(failing.engine.claim('adapter:cmd-3')).rejects.toThrow('store down');
  });
});
