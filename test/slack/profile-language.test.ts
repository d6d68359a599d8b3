/**
 * A Slack person's language comes from their profile (users.info `locale`): a Spanish profile,
 * es-MX, gets the engine's answers to their clicks in Spanish, like a German one gets German.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackWorld } from './world.ts';
import { PEOPLE, buttonValue, clickPayload, fixture, headerOf, startSlackWorld } from './world.ts';

let world: SlackWorld | undefined;
const daveLocale = PEOPLE.UDAVE!.locale;
afterEach(async () => {
  PEOPLE.UDAVE!.locale = daveLocale;
  await world?.close();
  world = undefined;
});

const MENTION_TS = '1764151200.000100';

describe('Slack profile language', () => {
  it('tells a late approver with an es-MX profile, privately and in Spanish, who approved first', async () => {
    PEOPLE.UDAVE!.locale = 'es-MX';
    world = await startSlackWorld('imap-backend-hang');
    const w = world;
    await w.event(fixture('app_mention'));
    const diagnosis = await w.until('diagnosis', () =>
      w.cards().find((c) => /problem confirmed/.test(headerOf(c.blocks))),
    );
    const click = (ts: string, value: string, user: string, n: number) =>
      w.click(
        clickPayload({
          messageTs: ts,
          threadTs: MENTION_TS,
          value,
          user,
          actionTs: `1764151300.${String(n).padStart(6, '0')}`,
        }),
      );
    await click(diagnosis.ts, buttonValue(diagnosis.blocks, /Restart MSExchangeIMAP4BE/), 'UALICE', 1);
    const approval = await w.until('approval', () => w.cards().find((c) => /Approval needed/.test(headerOf(c.blocks))));
    const approve = buttonValue(approval.blocks, /^Approve$/);
    await click(approval.ts, approve, 'UBOB', 2);
    await w.until('resolved', () =>
      w.cards().find((c) => c.ts === diagnosis.ts && /resolved/.test(headerOf(c.blocks))),
    );
    await click(approval.ts, approve, 'UDAVE', 3);
    const told = await w.until('told', () =>
      w.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.user === 'UDAVE'),
    );
    expect(told.args.blocks).toMatch(/Ya lo aprobó Bob/);
  });
});
