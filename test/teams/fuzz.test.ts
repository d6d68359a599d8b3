/**
 * No request may end the bot: arbitrary JSON, and activities whose every field is arbitrary, posted
 * to /api/messages (in insecure dev mode, so nothing is stopped by authentication and every body
 * reaches the turn logic) are each answered 2xx or 4xx, nothing escapes as an uncaught error, and
 * the bot still answers a real question afterwards.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrashWatch } from '../support/crash-watch.ts';
import { watchForCrashes } from '../support/crash-watch.ts';
import { fixture, startTeams, THREAD } from './server.ts';
import type { TeamsServer } from './server.ts';

let s: TeamsServer | undefined;
let watch: CrashWatch | undefined;
afterEach(async () => {
  watch?.stop();
  await s?.close();
  s = undefined;
});

const answeredWithoutServerError = (status: number) =>
  (status >= 200 && status < 300) || (status >= 400 && status < 500);

describe('Teams endpoint under arbitrary bodies', () => {
  it(
    'answers 2xx or 4xx to arbitrary JSON and to activities with arbitrary fields, and still answers a question after',
    { timeout: 120_000 },
    async () => {
      s = await startTeams();
      watch = watchForCrashes();
      const server = s;
      const crash = watch;
      const base = fixture('message-channel-mention');
      const field = fc.jsonValue();
      const activity = fc.record(
        {
          type: fc.constantFrom('message', 'invoke', 'conversationUpdate', 'installationUpdate', 'event'),
          name: fc.oneof(fc.constant('adaptiveCard/action'), fc.jsonValue()),
          id: field,
          text: field,
          value: fc.oneof(
            field,
            fc.record({
              action: fc.record({ type: fc.constant('Action.Execute'), data: fc.record({ healthbotAction: field }) }),
            }),
          ),
          from: fc.oneof(field, fc.record({ id: fc.string(), name: field, aadObjectId: field })),
          recipient: fc.oneof(field, fc.record({ id: fc.string(), name: field })),
          conversation: fc.oneof(
            field,
            fc.record({ id: fc.oneof(fc.string(), fc.constant(THREAD)), tenantId: field, conversationType: field }),
          ),
          entities: field,
          channelData: field,
          membersAdded: field,
          locale: field,
          replyToId: field,
          action: field,
        },
        { requiredKeys: ['type'] },
      );
      const body = fc.oneof(
        fc.jsonValue(),
        activity.map((a) => ({ ...base, ...a, channelId: 'msteams', serviceUrl: base.serviceUrl })),
      );
      await fc.assert(
        fc.asyncProperty(body, async (json) => {
          const res = await crash.race(server.post(JSON.stringify(json) ?? 'null'));
          expect(answeredWithoutServerError(res.status), `${res.status} for ${JSON.stringify(json)}`).toBe(true);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
      );
      await crash.race(server.settle());
      await crash.race(server.say('help'));
      await crash.race(server.settle());
      expect(server.fake.find(/What I can do/, THREAD).length).toBeGreaterThan(0);
    },
  );

  it('answers an invoke whose optional fields have the wrong types (found by the fuzzer: locale {} gave a 501)', async () => {
    s = await startTeams();
    watch = watchForCrashes();
    const base = fixture('invoke-action-execute');
    for (const odd of [
      { locale: {} },
      { locale: 7, name: 'adaptiveCard/action', value: null },
      { text: [], replyToId: {} },
      {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', data: { healthbotAction: {} } } },
        locale: [],
      },
    ]) {
      const res = await watch.race(s.post({ ...base, id: `odd-${JSON.stringify(odd)}`, ...odd }));
      expect(answeredWithoutServerError(res.status), `${res.status} for ${JSON.stringify(odd)}`).toBe(true);
    }
  });
});
