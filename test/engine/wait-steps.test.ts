/**
 * Wait steps are durable timers: the ladder pauses, nothing else on it can be clicked, and when
 * the timer fires (engine.tick, as the bot does every few seconds) the engine reads
 * Get-ServerHealth again and says whether the monitor stayed healthy.
 */
import { describe, expect, it } from 'vitest';
import { cardText, createHarness } from './harness.ts';

describe('wait steps', () => {
  it('pause the ladder until the timer fires, then re-check and go on', async () => {
    const h = await createHarness('imap-slow-commands');
    await h.ask('imap on server2');
    expect(h.lastCard('diagnosis')?.title).toBe('IMAP on SERVER2: problem confirmed');
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
});
