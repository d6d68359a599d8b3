/**
 * The chat adapter contract: what core relies on from every `ChatAdapter`, checked from outside
 * through the platform's own front door (see platforms.ts). Run against every adapter by
 * contract.test.ts, including the in-memory one that only the tests know.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card, ChatEngine, InboundEvent } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { ManualClock } from '../engine/harness.ts';
import type { Platform, PlatformDeps } from './platforms.ts';

const card = (title: string): Card => ({
  kind: 'notice',
  title,
  severity: 'info',
  facts: [],
  sections: [{ kind: 'text', text: `${title} body` }],
  actions: [],
});

/** An engine that records what it is handed and holds each event until `open()` (when gated). */
function recordingEngine(gated = false) {
  const events: InboundEvent[] = [];
  let handled = 0;
  let open: () => void = () => {};
  const gate = gated ? new Promise<void>((r) => (open = r)) : Promise.resolve();
  const claimed = new Set<string>();
  const engine: ChatEngine = {
    claim: async (eventId) => !claimed.has(eventId) && Boolean(claimed.add(eventId)),
    async handle(event) {
      events.push(event);
      await gate;
      handled++;
    },
  };
  return { engine, events, handled: () => handled, open: () => open() };
}

export function chatAdapterContract(name: string, make: (deps: PlatformDeps) => Promise<Platform>): void {
  describe(`ChatAdapter contract: ${name}`, () => {
    let platform: Platform;
    beforeEach(async () => {
      platform = await make({ store: createMemoryStore(), clock: new ManualClock() });
    });
    afterEach(async () => {
      await platform.close();
    });

    it('hands nothing to the engine before start(engine), and says so to the platform', async () => {
      const rec = recordingEngine();
      expect((await platform.say('alice', 'help')).accepted).toBe(false);
      await platform.adapter.start(rec.engine);
      await platform.adapter.idle();
      expect(rec.events).toEqual([]);
      expect(platform.adapter.capabilities).toEqual(platform.adapter.surface.capabilities);
    });

    it('round-trips conversation references: what it hands the engine it owns, and answers land where the person wrote', async () => {
      const rec = recordingEngine();
      await platform.adapter.start(rec.engine);
      const first = await platform.say('alice', 'what is wrong with imap on server1');
      expect(first.accepted).toBe(true);
      await platform.adapter.idle();
      const again = await platform.say('bob', 'and now?', first.where);
      expect(again.accepted).toBe(true);
      await platform.adapter.idle();
      expect(rec.events).toHaveLength(2);
      const [asked, followUp] = rec.events as [InboundEvent, InboundEvent];
      expect(platform.adapter.owns(asked.conversation)).toBe(true);
      expect(followUp.conversation).toBe(asked.conversation);
      expect(platform.adapter.owns('elsewhere:C1/1.0')).toBe(false);

      const ref = await platform.adapter.surface.post(asked.conversation, card('Reply one'));
      await platform.adapter.surface.update(asked.conversation, ref, card('Reply two'));
      await platform.adapter.idle();
      const replies = (await platform.cards()).filter((c) => /^Reply/.test(c.title));
      expect(replies).toEqual([expect.objectContaining({ where: first.where, title: 'Reply two' })]);
    });

    it('delivers a private notice to its person only', async () => {
      const rec = recordingEngine();
      await platform.adapter.start(rec.engine);
      const asked = await platform.say('alice', 'help');
      await platform.say('bob', 'help too', asked.where);
      await platform.adapter.idle();
      const alice = rec.events[0]!;
      await platform.adapter.surface.notify(alice.conversation, alice.actor, card('For Alice only'));
      await platform.adapter.idle();
      const shown = (await platform.cards()).filter((c) => c.title === 'For Alice only');
      expect(shown.length).toBeGreaterThan(0);
      for (const c of shown) expect(c.privateTo).toBe('alice');
    });

    it('idle() resolves only when everything accepted has been handled, the receiver backlog included', async () => {
      const rec = recordingEngine(true);
      await platform.adapter.start(rec.engine);
      for (const text of ['one', 'two', 'three']) expect((await platform.say('alice', text)).accepted).toBe(true);
      // Read at the moment idle() resolves: anything still in a backlog or held by the engine is missing.
      const handledWhenIdle = platform.adapter.idle().then(() => rec.handled());
      rec.open();
      expect(await handledWhenIdle).toBe(3);
      expect(rec.events.map((e) => (e.kind === 'message' ? e.text : ''))).toEqual(['one', 'two', 'three']);
    });

    it('accepts nothing once closed', async () => {
      const rec = recordingEngine();
      await platform.adapter.start(rec.engine);
      await platform.adapter.close();
      expect((await platform.say('alice', 'help')).accepted).toBe(false);
      await platform.adapter.idle();
      expect(rec.events).toEqual([]);
    });
  });
}
