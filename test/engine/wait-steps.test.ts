/**
 * Wait steps are durable timers: the ladder pauses, nothing else on it can be clicked, and when
 * the timer fires (engine.tick, as the bot does every few seconds) the engine reads
 * Get-ServerHealth again and says whether the monitor stayed healthy.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.ts';
import { TIMER_LEASE_MS } from '../../src/core/engine/timers.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { cardText, createHarness } from './harness.ts';

describe('wait steps', () => {
  it('pause the ladder until the timer fires, then re-check and go on', async () => {
    const h = await createHarness('imap-slow-commands');
    await h.ask('imap on server2');
    expect(h.lastCard('diagnosis')?.title).toBe('IMAP on SERVER2: unhealthy (reported by Get-ServerHealth)');
    for (const service of ['MSExchangeIMAP4', 'MSExchangeIMAP4BE']) {
      const action = h.lastCard('diagnosis')!.actions[0]!;
      expect(action.label).toBe(`Restart ${service} on SERVER2`);
      await h.click(action.id, h.people.alice);
      await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    }
    const wait = h.lastCard('diagnosis')!.actions[0]!;
    expect(wait.label).toMatch(/10 min/);
    await h.click(wait.id, h.people.alice);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/14:10/);
    const during = h.lastCard('diagnosis')!;
    const reads = () => h.gateway.ran.filter((op) => op.kind === 'get-server-health' && op.server === 'SERVER2').length;
    const before = reads();
    // Nothing fires early, and the paused ladder offers no step to click.
    h.clock.advance(9 * 60_000);
    await h.engine.tick();
    expect(reads()).toBe(before);
    if (during.actions[0]) {
      await h.click(during.actions[0].id, h.people.alice);
      expect(h.gateway.ran.some((op) => op.kind === 'set-database-activation')).toBe(false);
    }

    h.clock.advance(60_000);
    await h.engine.tick();
    expect(reads()).toBeGreaterThan(before);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/AverageCommandProcessingTimeGt60sMonitor/);
    expect(h.lastCard('diagnosis')!.actions[0]!.label).toMatch(/10 min/);
    // A second tick does not fire the same timer twice.
    const count = reads();
    await h.engine.tick();
    expect(reads()).toBe(count);
  });

  it('fire after the lease when the process that claimed them died, and are not lost', async () => {
    const h = await createHarness('imap-slow-commands');
    await h.ask('imap on server2');
    for (let i = 0; i < 2; i++) {
      await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
      await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    }
    await h.click(h.lastCard('diagnosis')!.actions[0]!.id, h.people.alice);
    h.clock.advance(10 * 60_000);
    // Another instance claims the due timer and dies before firing it.
    const claimed = await h.store.claimDueTimers(h.clock.now(), 50, TIMER_LEASE_MS);
    expect(claimed.map((t) => t.payload.type)).toContain('wait');
    const reads = () => h.gateway.ran.filter((op) => op.kind === 'get-server-health' && op.server === 'SERVER2').length;
    const before = reads();
    await h.engine.tick();
    expect(reads()).toBe(before);
    h.clock.advance(TIMER_LEASE_MS);
    await h.engine.tick();
    expect(reads()).toBeGreaterThan(before);
    expect(cardText(h.lastCard('diagnosis'))).toMatch(/AverageCommandProcessingTimeGt60sMonitor/);
  });

  it('retry a timer that fails, and give it up with an error after five tries', async () => {
    const errors: string[] = [];
    const memory = createMemoryStore();
    const failing: Store = { ...memory, getApproval: () => Promise.reject(new Error('database went away')) };
    const h = await createHarness('healthy', {
      store: failing,
      overrides: { observer: { error: (where) => errors.push(where) } },
    });
    await h.store.scheduleTimer({
      id: 'broken',
      incidentId: 'inc',
      dueAt: h.clock.now().toISOString(),
      payload: { type: 'approval-expiry', approvalId: 'x' },
    });
    let fired = 0;
    for (let i = 0; i < 7; i++) {
      fired += await h.engine.tick();
      h.clock.advance(TIMER_LEASE_MS);
    }
    expect(fired).toBe(5);
    expect(errors.filter((e) => e === 'timer')).toHaveLength(5);
  });
});
