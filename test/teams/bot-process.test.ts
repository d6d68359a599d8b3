/**
 * `npm start` with Teams credentials: Teams answers at /api/messages beside the web chat on the
 * one port, a request without a valid Bot Framework token gets 401 from the running bot, and a
 * web chat message posted to Teams' path is refused there instead of acting as a persona.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBot } from '../cli/bot-process.ts';
import { jsonPost, until, webClient } from '../web/client.ts';
import { removeDataDir } from '../support/data-dirs.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDataDir));

describe('the bot process with Teams credentials', () => {
  it(
    'refuses an unauthenticated activity with 401 and a persona message on /api/messages with 400, and serves the web chat at /chat',
    { timeout: 90_000 },
    async () => {
      const data = mkdtempSync(join(tmpdir(), 'healthbot-teams-'));
      dirs.push(data);
      const bot = await startBot({
        HEALTHBOT_DATA_DIR: data,
        MICROSOFT_APP_ID: '5b07a1c2-3d4e-4f50-8a61-b72c83d94e05',
        MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
        MICROSOFT_APP_TYPE: 'SingleTenant',
        MICROSOFT_APP_TENANT_ID: '0f4c7a1e-2b3d-4c5e-9f60-718293a4b5c6',
      });
      try {
        expect(bot.output()).toMatch(/teams \(\/api\/messages\)/);
        const activity = {
          type: 'message',
          id: 'a1',
          channelId: 'msteams',
          serviceUrl: 'https://smba.trafficmanager.net/emea/',
          from: { id: '29:1abc', aadObjectId: 'aad-1', name: 'Mallory' },
          conversation: { id: '19:abc@thread.tacv2', conversationType: 'channel' },
          recipient: { id: '28:5b07a1c2-3d4e-4f50-8a61-b72c83d94e05', name: 'Healthbot' },
          text: 'imap on server1',
        };
        expect((await fetch(`${bot.url}/api/messages`, jsonPost(activity))).status).toBe(401);
        expect(
          (await fetch(`${bot.url}/api/messages`, jsonPost(activity, { authorization: 'Bearer not.a.jwt' }))).status,
        ).toBe(401);
        const persona = await fetch(
          `${bot.url}/api/messages`,
          jsonPost({ persona: 'alice', text: 'imap on server1', clientId: 'through-teams' }),
        );
        expect(persona.status).toBe(400);
        const web = webClient(bot.url);
        expect(await web.messages('alice')).toEqual([]);
        expect((await web.say('alice', 'imap on server1')).status).toBe(202);
        await until(
          'web answer',
          async () => (await web.messages('alice')).find((m) => m.html?.includes('IMAP on SERVER1')),
          30_000,
        );
      } finally {
        expect(await bot.stop('SIGTERM')).toBe(0);
      }
    },
  );
});
