/**
 * No request may end the bot: validly signed bodies of arbitrary JSON (as an Events API body, as an
 * interactivity `payload=` field, as raw form text) are each answered 2xx or 4xx, nothing throws
 * out of the receiver or Bolt, and the bot still answers a real mention afterwards.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrashWatch } from '../support/crash-watch.ts';
import { watchForCrashes } from '../support/crash-watch.ts';
import type { SlackWorld } from './world.ts';
import { fixture, headerOf, sign, startSlackWorld } from './world.ts';

let world: SlackWorld | undefined;
let watch: CrashWatch | undefined;
afterEach(async () => {
  watch?.stop();
  await world?.close();
  world = undefined;
});

const FORM = 'application/x-www-form-urlencoded';

async function send(w: SlackWorld, crash: CrashWatch, body: string, contentType: string): Promise<number> {
  const res = await crash.race(w.raw(body, { 'content-type': contentType, ...sign(body) }));
  await res.arrayBuffer();
  return res.status;
}

const answeredWithoutServerError = (status: number) =>
  (status >= 200 && status < 300) || (status >= 400 && status < 500);

describe('Slack receiver under signed nonsense', () => {
  it('survives a signed body of null, payload=null and other non-objects, refusing each with 400', async () => {
    world = await startSlackWorld('healthy');
    watch = watchForCrashes();
    for (const [body, type] of [
      ['null', 'application/json'],
      ['payload=null', FORM],
      ['[]', 'application/json'],
      ['42', 'application/json'],
      ['"text"', 'application/json'],
      ['payload=%5B1%5D', FORM],
      ['payload=true', FORM],
    ] as const) {
      expect(await send(world, watch, body, type), body).toBe(400);
    }
  });

  it(
    'answers 2xx or 4xx to signed arbitrary JSON, as events and as payload= fields, and still answers a mention after',
    { timeout: 120_000 },
    async () => {
      world = await startSlackWorld('imap-backend-hang');
      watch = watchForCrashes();
      const w = world;
      const crash = watch;
      // Arbitrary JSON, and objects that look like Slack's envelopes with arbitrary values inside.
      const envelope = fc.record(
        {
          type: fc.constantFrom(
            'event_callback',
            'block_actions',
            'url_verification',
            'view_submission',
            'shortcut',
            'message_action',
          ),
          token: fc.string(),
          team_id: fc.oneof(fc.string(), fc.constant(null)),
          event_id: fc.oneof(fc.string(), fc.integer()),
          event: fc.oneof(
            fc.jsonValue(),
            fc.record({
              type: fc.constantFrom('app_mention', 'message'),
              user: fc.jsonValue(),
              text: fc.jsonValue(),
              ts: fc.jsonValue(),
              channel: fc.jsonValue(),
            }),
          ),
          user: fc.jsonValue(),
          actions: fc.oneof(
            fc.jsonValue(),
            fc.array(
              fc.record({
                type: fc.constant('button'),
                action_id: fc.constantFrom('hb:x', 'hb:', 'other'),
                value: fc.jsonValue(),
              }),
            ),
          ),
          channel: fc.jsonValue(),
          message: fc.jsonValue(),
          challenge: fc.jsonValue(),
          ssl_check: fc.jsonValue(),
        },
        { requiredKeys: ['type'] },
      );
      const value = fc.oneof(fc.jsonValue(), envelope);
      await fc.assert(
        fc.asyncProperty(value, fc.boolean(), async (json, asForm) => {
          const text = JSON.stringify(json) ?? 'null';
          const status = asForm
            ? await send(w, crash, `payload=${encodeURIComponent(text)}`, FORM)
            : await send(w, crash, text, 'application/json');
          expect(answeredWithoutServerError(status), `${status} for ${text}`).toBe(true);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
      );
      await fc.assert(
        fc.asyncProperty(fc.string(), async (form) => {
          expect(answeredWithoutServerError(await send(w, crash, form, FORM))).toBe(true);
        }),
        { numRuns: 50 },
      );
      // Bolt takes events in arrival order: once this mention is answered, every fuzzed body before
      // it has been through Bolt too, and none of them ended the process.
      const body = JSON.stringify(fixture('app_mention'));
      expect(await send(w, crash, body, 'application/json')).toBe(200);
      await crash.race(
        w.until('diagnosis', () => w.cards().find((c) => /problem confirmed/.test(headerOf(c.blocks))), 60_000),
      );
    },
  );
});
