/** Every rerun gets a visible answer, and the previous result stays on the card beside it. */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/core/index.ts';
import { cardText, createHarness, interceptRun } from './harness.ts';

describe('rerun says what it found', () => {
  it('"still failing", with the previous result and its time kept on the card', async () => {
    const h = await createHarness('imap-unfixable');
    await h.ask("what's wrong with IMAP on server1?");
    h.clock.advance(2 * 60_000);
    await h.click(h.button(h.lastCard('diagnosis'), /^Rerun probe$/), h.people.bob);
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain('IMAP.Proxy\\ImapProxyTestProbe rerun at 14:02 by bob: still failing.');
    expect(text).toContain(
      'The last two checks:\n14:00 IMAP.Proxy\\ImapProxyTestProbe: failing\n14:02 IMAP.Proxy\\ImapProxyTestProbe: failing',
    );
    // A typed "rerun" answers the same way, and the oldest of three results gives way.
    h.clock.advance(2 * 60_000);
    await h.ask('rerun', h.people.alice);
    const again = cardText(h.lastCard('diagnosis'));
    expect(again).toContain('rerun at 14:04 by alice: still failing.');
    expect(again).toContain(
      '14:02 IMAP.Proxy\\ImapProxyTestProbe: failing\n14:04 IMAP.Proxy\\ImapProxyTestProbe: failing',
    );
    expect(again).not.toContain('14:00 IMAP.Proxy\\ImapProxyTestProbe: failing');
  });

  it('"now passing" once the probe succeeds again', async () => {
    let healthy = false;
    const h = await createHarness('imap-unfixable', {
      wrapGateway: interceptRun(async (op: Operation, next) => {
        const answer = await next();
        if (!healthy) return answer;
        if (op.kind === 'get-server-health')
          return (answer as { alertValue: string }[]).map((r) => ({ ...r, alertValue: 'Healthy' }));
        if (op.kind === 'invoke-probe')
          return { ...(answer as object), resultType: 'Succeeded', error: undefined, exception: undefined };
        return answer;
      }),
    });
    await h.ask("what's wrong with IMAP on server1?");
    healthy = true;
    h.clock.advance(60_000);
    await h.click(h.button(h.lastCard('diagnosis'), /^Rerun probe$/), h.people.alice);
    const text = cardText(h.lastCard('diagnosis'));
    expect(text).toContain('rerun at 14:01 by alice: now passing.');
    expect(text).toContain(
      '14:00 IMAP.Proxy\\ImapProxyTestProbe: failing\n14:01 IMAP.Proxy\\ImapProxyTestProbe: passing',
    );
  });
});
