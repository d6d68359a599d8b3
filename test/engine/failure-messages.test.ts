/**
 * Each failure says which part failed (issue 18, fault 8): the bot's store, Exchange or the chat
 * platform, in English and German. A store failure is never reported as "Exchange could not be
 * reached for ." and a click whose claim failed is told to try again instead of vanishing.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.ts';
import { GatewayError, StoreError } from '../../src/core/index.ts';
import { RecordingSurface } from '../../src/cli/surface.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

/** A store whose chosen method fails while `broken` is set, as a database that went away. */
function flakyStore(method: keyof Store) {
  const inner = createMemoryStore();
  const state = { broken: false };
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === method && typeof value === 'function')
        return (...args: unknown[]) => {
          if (state.broken)
            return Promise.reject(
              new StoreError('unavailable', `store: ${String(method)} failed: connection terminated`),
            );
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return value;
    },
  }) as Store;
  return { store, state };
}

describe('failure messages name the part that failed', () => {
  for (const [locale, storeText, claimText] of [
    ['en', /database is unavailable/, /could not take this on.*try again/i],
    ['de', /Datenbank ist nicht erreichbar/, /nicht annehmen.*noch einmal versuchen/],
  ] as const) {
    it(`a store failure during a click is a store failure, not an Exchange one (${locale})`, async () => {
      const { store, state } = flakyStore('getAction');
      const h = await createHarness('imap-backend-hang', { store, locale });
      await h.ask("what's wrong with IMAP on server1?");
      state.broken = true;
      await h.click(h.button(h.lastCard('diagnosis'), /Rerun|erneut/i), h.people.bob);
      const told = cardText(h.privateTo('bob').at(-1));
      expect(told).toMatch(storeText);
      expect(told).not.toMatch(/Exchange/);
    });

    it(`a click whose claim fails is told to try again, and the retry works (${locale})`, async () => {
      const { store, state } = flakyStore('claimEvent');
      const h = await createHarness('imap-backend-hang', { store, locale });
      await h.ask("what's wrong with IMAP on server1?");
      const step = h.button(h.lastCard('diagnosis'), /MSExchangeIMAP4BE/);
      state.broken = true;
      await h.click(step, h.people.alice, 'test:c1', 'click-1');
      expect(cardText(h.privateTo('alice').at(-1))).toMatch(claimText);
      expect(await h.store.listApprovals()).toHaveLength(0);
      state.broken = false;
      await h.click(step, h.people.alice, 'test:c1', 'click-1');
      expect(await h.store.listApprovals()).toHaveLength(1);
    });
  }

  it('an Exchange failure names Exchange and the server', async () => {
    const h = await createHarness('imap-backend-hang', {
      wrapGateway: interceptRun((op, next) =>
        op.kind === 'get-server-health' ? Promise.reject(new GatewayError('unavailable', 'WinRM refused')) : next(),
      ),
    });
    await h.ask("what's wrong with IMAP on server1?");
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/Exchange could not be reached for SERVER1\./);
  });

  it('a store failure while diagnosing is shown on the card as a store failure', async () => {
    const { store, state } = flakyStore('appendAudit');
    const h = await createHarness('imap-backend-hang', { store });
    state.broken = true;
    await h.ask("what's wrong with IMAP on server1?");
    const told = cardText(h.privateTo('alice').at(-1));
    expect(told).toMatch(/database is unavailable/);
    expect(told).not.toMatch(/Exchange could not be reached/);
  });

  it('a chat platform that refuses the card is reported as the chat platform, to the person', async () => {
    const surface = new RecordingSurface();
    let refuse = false;
    const failing = Object.assign(Object.create(surface) as RecordingSurface, {
      capabilities: surface.capabilities,
      messages: surface.messages,
      post: (c: string, card: Parameters<RecordingSurface['post']>[1]) =>
        refuse ? Promise.reject(new Error('channel_is_archived')) : surface.post(c, card),
      update: (c: string, r: string, card: Parameters<RecordingSurface['update']>[2]) =>
        refuse ? Promise.reject(new Error('message_not_found')) : surface.update(c, r, card),
      notify: surface.notify.bind(surface),
    });
    const h = await createHarness('imap-backend-hang', { overrides: { surfaces: () => failing } });
    await h.ask("what's wrong with IMAP on server1?");
    refuse = true;
    const diagnosis = [...surface.messages].reverse().find((m) => m.card.kind === 'diagnosis')!.card;
    await h.click(h.button(diagnosis, /All steps/), h.people.bob);
    const told = surface.messages.filter((m) => m.privateTo === 'bob').map((m) => cardText(m.card));
    expect(told.at(-1)).toMatch(/chat platform did not accept/);
  });
});
