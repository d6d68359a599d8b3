/**
 * The reply to an event travels as an explicit handle: every surface call an event's handling
 * makes carries that event's handle and no other's, even when two events are handled at once;
 * work nobody asked for (timers) carries none.
 */
import { describe, expect, it } from 'vitest';
import type { Card, ChatSurface, ReplyHandle } from '../../src/core/index.ts';
import type { Harness } from './harness.ts';
import { createHarness } from './harness.ts';

interface Call {
  readonly op: 'post' | 'update' | 'notify';
  readonly reply: string | undefined;
  readonly title: string;
  readonly to?: string;
}

function recording(inner: () => ChatSurface, calls: Call[]): ChatSurface {
  const log = (op: Call['op'], card: Card, reply: ReplyHandle | undefined, to?: string) =>
    calls.push({ op, reply: reply?.eventId, title: card.title, ...(to ? { to } : {}) });
  return {
    get capabilities() {
      return inner().capabilities;
    },
    post: (c, card, reply) => (log('post', card, reply), inner().post(c, card, reply)),
    update: (c, ref, card, reply) => (log('update', card, reply), inner().update(c, ref, card, reply)),
    notify: (c, actor, card, reply) => (
      log('notify', card, reply, actor.userId),
      inner().notify(c, actor, card, reply)
    ),
  };
}

describe('the reply handle', () => {
  it("two events handled at once: each surface call carries its own event's handle, timers carry none", async () => {
    const calls: Call[] = [];
    const ref: { h?: Harness } = {};
    const surface = recording(() => ref.h!.surface, calls);
    const h = (ref.h = await createHarness('imap-backend-hang', { overrides: { surfaces: () => surface } }));
    const handle = (eventId: string): ReplyHandle => ({ eventId });
    await h.engine.handle(
      {
        kind: 'message',
        eventId: 'ask',
        conversation: 'test:c1',
        actor: h.people.alice,
        text: "what's wrong with IMAP on server1?",
      },
      handle('ask'),
    );
    await h.engine.handle(
      {
        kind: 'action',
        eventId: 'step',
        conversation: 'test:c1',
        actor: h.people.alice,
        actionId: h.button(h.lastCard('diagnosis'), /Restart MSExchangeIMAP4BE/),
      },
      handle('step'),
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.reply === 'ask' || c.reply === 'step')).toBe(true);

    calls.length = 0;
    const approve = h.button(h.lastCard('approval'), /^Approve$/);
    const rerun = h.button(h.lastCard('diagnosis'), /Rerun/);
    // Alice approves her own request (refused, privately) while Bob reruns the probe: side by side.
    await Promise.all([
      h.engine.handle(
        { kind: 'action', eventId: 'self-approve', conversation: 'test:c1', actor: h.people.alice, actionId: approve },
        handle('self-approve'),
      ),
      h.engine.handle(
        { kind: 'action', eventId: 'rerun', conversation: 'test:c1', actor: h.people.bob, actionId: rerun },
        handle('rerun'),
      ),
    ]);
    const notices = calls.filter((c) => c.op === 'notify');
    expect(notices).toEqual([expect.objectContaining({ reply: 'self-approve', to: 'alice' })]);
    const rerunCalls = calls.filter((c) => c.reply === 'rerun');
    expect(rerunCalls.length).toBeGreaterThan(0);
    expect(rerunCalls.every((c) => c.op === 'update' && /IMAP on SERVER1/.test(c.title))).toBe(true);
    expect(calls.every((c) => c.reply === 'self-approve' || c.reply === 'rerun')).toBe(true);

    // The approval expires by the clock: nobody's event, so no handle.
    calls.length = 0;
    h.clock.advance(16 * 60_000);
    await h.engine.tick();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.reply === undefined)).toBe(true);
  });
});
