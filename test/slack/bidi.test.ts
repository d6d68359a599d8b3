/**
 * Bidirectional overrides and isolates are treated the same on Slack, the web chat and Teams:
 * removed from display names and questions at the boundary, and from every string of every card
 * each renderer is given (a name or an Exchange error could otherwise read backwards).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/core/index.ts';
import { cleanInboundEvent } from '../../src/core/index.ts';
import { renderBlocks } from '../../adapters/slack/blocks.ts';
import { renderCard as renderHtml } from '../../adapters/web/render.ts';
import { renderCard as renderAdaptive } from '../../adapters/teams/render.ts';
import type { SlackWorld } from './world.ts';
import { fixture, headerOf, startSlackWorld } from './world.ts';
import { webClient } from '../web/client.ts';
import type { WebServer } from '../web/server.ts';
import { startWebChat } from '../web/server.ts';

const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
const every = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const hostile = (s: string) => `${s} \u202egnp.exe\u202c ${every.join('x')}`;

const card: Card = {
  kind: 'diagnosis',
  title: hostile('IMAP on SERVER1'),
  severity: 'critical',
  facts: [{ label: hostile('Asked by'), value: hostile('Mallory') }],
  sections: [
    { kind: 'text', text: hostile('Probe failed') },
    { kind: 'code', text: hostile('(503) Server Unavailable') },
    { kind: 'list', items: [hostile('one'), hostile('two')] },
  ],
  actions: [
    {
      id: 'a1',
      label: hostile('Restart'),
      style: 'danger',
      confirm: { title: hostile('Sure?'), text: hostile('It restarts'), yes: hostile('Yes'), no: hostile('No') },
    },
  ],
  context: hostile('asked by Mallory'),
};

let world: SlackWorld | undefined;
let web: WebServer | undefined;
afterEach(async () => {
  await world?.close();
  await web?.close();
  world = undefined;
  web = undefined;
});

describe('bidi controls on every platform', () => {
  it('no renderer lets one through, in any string of a card', () => {
    const outputs = {
      slack: JSON.stringify(renderBlocks(card)),
      web: renderHtml(card),
      teams: JSON.stringify(renderAdaptive(card)),
    };
    for (const [platform, out] of Object.entries(outputs)) {
      expect(out, platform).not.toMatch(BIDI);
      expect(out, platform).toMatch(/gnp\.exe/);
    }
  });

  it('the boundary removes them from the question, the display name and the ids of any event', () => {
    const event = cleanInboundEvent({
      kind: 'message',
      eventId: 'e\u202e1',
      conversation: 'slack:T1:C1:\u2066123',
      actor: {
        platform: 'slack',
        userId: 'U\u202d1',
        displayName: '\u202eyrollaM',
        directoryId: 'm\u2067@contoso.com',
        groups: ['S\u202a1'],
      },
      text: hostile('imap on server1'),
    });
    expect(JSON.stringify(event)).not.toMatch(BIDI);
    expect(event.actor.displayName).toBe('yrollaM');
  });

  it('a Slack name with an override is echoed and shown on the card without it', async () => {
    world = await startSlackWorld('imap-backend-hang');
    const w = world;
    w.override('users.info', [
      [
        200,
        {
          ok: true,
          user: {
            id: 'UALICE',
            name: 'alice',
            locale: 'en-US',
            profile: { display_name: 'Alice \u202eredoc\u202c', email: 'alice@contoso.com' },
          },
        },
      ],
    ]);
    expect(
      (await w.command({ ...fixture<Record<string, string>>('slash_command'), text: 'imap on server1 \u2066' })).status,
    ).toBe(200);
    await w.until('diagnosis', () => w.cards().find((c) => /problem confirmed/.test(headerOf(c.blocks))));
    const echo = w.calls.find((c) => c.method === 'chat.postMessage');
    expect(echo?.args.text).toBe('Alice redoc asked: imap on server1');
    for (const c of w.calls) expect(JSON.stringify(c.args), c.method).not.toMatch(BIDI);
  });

  it('a web chat question with an override is shown on the page without it', async () => {
    web = await startWebChat('healthy');
    const client = webClient(web.url);
    expect((await client.say('alice', 'help \u202eplh')).status).toBe(202);
    const mine = (await client.messages('alice')).find((m) => !m.author.bot);
    expect(mine?.text).toBe('help plh');
  });
});
