/**
 * `npm start` with Slack credentials: the bot switches Slack on at /slack/events on its one port,
 * checks the token with auth.test at start, and answers a signed mention through SLACK_API_URL.
 * Bad credentials stop it at start with a sentence, not at the first event.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBot } from '../cli/bot-process.ts';
import { TOKEN, startFakeSlackApi } from './fake-slack-api.ts';
import { SIGNING_SECRET, fixture, sign } from './world.ts';
import { removeDataDir } from '../support/data-dirs.ts';

// One data directory for both starts: creating the embedded database (initdb) is the slow part of
// a first start, and the second test is about Slack, not about that.
const data = mkdtempSync(join(tmpdir(), 'healthbot-slack-'));
afterAll(() => removeDataDir(data));

describe('the bot process with Slack credentials', () => {
  it(
    'mounts Slack in HTTP mode next to the web chat and answers a mention in its thread',
    { timeout: 90_000 },
    async () => {
      const api = await startFakeSlackApi();
      const bot = await startBot({
        HEALTHBOT_DATA_DIR: data,
        HEALTHBOT_LAB_SCENARIO: 'imap-backend-hang',
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: api.url,
      });
      try {
        expect(bot.output()).toMatch(/slack \(HTTP at \/slack\/events\)/);
        expect(api.calls[0]?.method).toBe('auth.test');
        // A signed body that is not an object once ended the process; now it is a 400 and the bot goes on.
        for (const [nothing, type] of [
          ['null', 'application/json'],
          ['payload=null', 'application/x-www-form-urlencoded'],
        ]) {
          expect(
            (
              await fetch(`${bot.url}/slack/events`, {
                method: 'POST',
                headers: { 'content-type': type!, ...sign(nothing!) },
                body: nothing!,
              })
            ).status,
          ).toBe(400);
        }
        const body = JSON.stringify(fixture('app_mention'));
        const res = await fetch(`${bot.url}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...sign(body) },
          body,
        });
        expect(res.status).toBe(200);
        const deadline = Date.now() + 30_000;
        while (
          !api.calls.some((c) => c.method === 'chat.update' && /problem confirmed/.test(c.args.blocks ?? '')) &&
          Date.now() < deadline
        )
          await new Promise((r) => setTimeout(r, 50));
        const posted = api.calls.find((c) => c.method === 'chat.postMessage');
        expect(posted?.args).toMatchObject({ channel: 'CINCIDENTS', thread_ts: '1764151200.000100' });
        expect(api.calls.some((c) => c.method === 'chat.update' && /problem confirmed/.test(c.args.blocks ?? ''))).toBe(
          true,
        );
        // The web chat still runs beside it.
        expect((await fetch(`${bot.url}/`)).status).toBe(200);
      } finally {
        expect(await bot.stop('SIGTERM')).toBe(0);
        await api.close();
      }
    },
  );

  it('refuses to start when Slack rejects the token, and says which variable', { timeout: 60_000 }, async () => {
    const api = await startFakeSlackApi();
    try {
      await expect(
        startBot({
          HEALTHBOT_DATA_DIR: data,
          SLACK_BOT_TOKEN: 'xoxb-revoked',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: api.url,
        }),
      ).rejects.toThrow(/Slack did not accept SLACK_BOT_TOKEN \(invalid_auth\)/);
    } finally {
      await api.close();
    }
  });
});
