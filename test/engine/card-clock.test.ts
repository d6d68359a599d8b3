/** One clock per card: the zone said once, in the footer; a time on another day than the card's carries its date. */
import { describe, expect, it } from 'vitest';
import { clockTime } from '../../src/core/engine/views/format.ts';
import { cardText, createHarness } from './harness.ts';

describe('times on cards', () => {
  // hour12: false printed midnight as 24:30 in English; hourCycle h23 prints 00:30.
  it('formats a time bare on the same day, with the date on another day, per locale and zone', () => {
    const now = '2026-11-24T14:00:00Z';
    expect(clockTime('2026-11-24T13:48:00Z', 'UTC', 'en', now)).toBe('13:48');
    expect(clockTime('2026-11-23T13:48:00Z', 'UTC', 'en', now)).toBe('Nov 23, 13:48');
    expect(clockTime('2026-11-23T13:48:00Z', 'UTC', 'de', now)).toBe('23. Nov., 13:48');
    // 23:30 UTC on the 23rd is already the 24th in Berlin: the same day there, so no date.
    expect(clockTime('2026-11-23T23:30:00Z', 'Europe/Berlin', 'en', now)).toBe('00:30');
    expect(clockTime('2026-11-23T23:30:00Z', 'UTC', 'en', now)).toBe('Nov 23, 23:30');
    // Without the card's moment (a text written into an event), just the time.
    expect(clockTime('2026-11-23T13:48:00Z', 'UTC', 'en')).toBe('13:48');
  });

  it('a diagnosis card says its zone once, and dates what happened before today', async () => {
    const h = await createHarness('imap-unfixable');
    await h.ask("what's wrong with IMAP on server1?");
    const today = cardText(h.lastCard('diagnosis'));
    expect(today.match(/UTC/g)).toHaveLength(1);
    expect(h.lastCard('diagnosis')!.context).toBe('asked by alice at 14:00 UTC · checked in 0.0 s');
    expect(today).toContain('Unhealthy since 13:15)');
    h.clock.advance(24 * 3_600_000);
    await h.click(h.button(h.lastCard('diagnosis'), /^Rerun probe$/), h.people.alice);
    const tomorrow = h.lastCard('diagnosis')!;
    expect(tomorrow.context).toMatch(/^asked by alice at Nov 24, 14:00 UTC/);
    expect(cardText(tomorrow).match(/UTC/g)).toHaveLength(1);
  });

  it('in German and in the configured time zone', async () => {
    const h = await createHarness('imap-unfixable', { locale: 'de', overrides: { timeZone: 'Europe/Berlin' } });
    await h.ask('IMAP server1');
    const card = h.lastCard('diagnosis')!;
    expect(card.context).toMatch(/15:00 Europe\/Berlin/);
    expect(cardText(card).match(/Europe\/Berlin/g)).toHaveLength(1);
  });

  it('the approval card says its zone once, in its footer', async () => {
    const h = await createHarness('imap-unfixable');
    await h.ask("what's wrong with IMAP on server1?");
    await h.click(h.button(h.lastCard('diagnosis'), /^Restart MSExchangeIMAP4/), h.people.alice);
    const approval = h.lastCard('approval')!;
    expect(cardText(approval).match(/UTC/g)).toHaveLength(1);
    expect(approval.context).toMatch(/· times in UTC$/);
  });
});

describe('instants inside an outcome', () => {
  it("an override's end is written on the card's clock: date and time, no ISO timestamp, the zone once in the footer", async () => {
    const h = await createHarness('imap-disabled-noise', { overrides: { timeZone: 'Europe/Berlin' } });
    await h.ask("what's wrong with IMAP.Proxy on server1?");
    await h.click(h.lastCard('diagnosis')!.actions.find((a) => a.style !== 'default')!.id, h.people.alice);
    await h.click(h.button(h.lastCard('approval'), /^Approve$/), h.people.bob);
    const approval = cardText(h.lastCard('approval'));
    // 24 hours from 14:00 UTC: the next day, 15:00 in Berlin.
    expect(approval).toContain('until Nov 25, 15:00.');
    expect(approval).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(approval.match(/Europe\/Berlin/g)).toHaveLength(1);
  });
});
