/**
 * The two-person rule, written once and run on every platform through the shared driver: alice
 * asks and requests a restart, her own approval is refused to her alone, bob approves, the
 * restart runs exactly once and the cards say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Driver } from './driver.ts';
import { drive } from './driver.ts';
import { PLATFORMS } from './platforms.ts';

const restarts = (d: Driver) => d.harness.gateway.ran.filter((op) => op.kind === 'restart-service');

describe.each(Object.keys(PLATFORMS))('two people on %s', (platform) => {
  let d: Driver | undefined;
  afterEach(async () => {
    await d?.close();
    d = undefined;
  });

  it('ask, request, self-approval refused privately, a second person approves, resolved once', async () => {
    d = await drive(platform, 'imap-backend-hang');
    await d.say('alice', "what's wrong with IMAP on server1?");
    await d.settle();
    expect((await d.card('alice', /IMAP on SERVER1: problem confirmed/))?.text).toMatch(/Alice/);

    await d.click('alice', /IMAP on SERVER1/, /Restart MSExchangeIMAP4BE/);
    await d.settle();
    expect(await d.card('bob', /Approval needed/)).toBeDefined();

    await d.click('alice', /Approval needed/, /^Approve$/);
    await d.settle();
    const refusals = (await d.cards()).filter((c) => /own request/.test(c.text));
    expect(refusals.length).toBeGreaterThan(0);
    for (const r of refusals) expect(r.privateTo).toBe('alice');
    expect(restarts(d)).toHaveLength(0);

    await d.click('bob', /Approval needed/, /^Approve$/);
    await d.settle();
    expect(restarts(d)).toHaveLength(1);
    expect(await d.card('carol', /IMAP on SERVER1: resolved/)).toBeDefined();
    expect((await d.card('carol', /IMAP on SERVER1: resolved/))?.text).toMatch(/Approved by Bob/);
  });

  it('the card the person clicked is updated first: an approve click changes the approval card before the diagnosis card', async () => {
    d = await drive(platform, 'imap-backend-hang');
    await d.say('alice', "what's wrong with IMAP on server1?");
    await d.settle();
    await d.click('alice', /IMAP on SERVER1/, /Restart MSExchangeIMAP4BE/);
    await d.settle();
    const approval = await d.card('bob', /Approval needed/);
    expect(approval).toBeDefined();
    const from = d.sent.length;
    await d.click('bob', /Approval needed/, /^Approve$/);
    await d.settle();
    const after = d.sent.slice(from);
    expect(after[0]).toMatchObject({ op: 'update', ref: approval!.id });
    // And the diagnosis card did change after it (the order is what is tested, not an absence).
    expect(
      after.slice(1).some((c) => c.op === 'update' && c.ref !== approval!.id && /IMAP on SERVER1/.test(c.title)),
    ).toBe(true);
  });
});
