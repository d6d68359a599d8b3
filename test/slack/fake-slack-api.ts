/**
 * A stand-in for Slack's Web API on 127.0.0.1, for what nock cannot reach: a bot running in its own
 * process (SLACK_API_URL points here) and the benchmark. Records every call; answers like Slack.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { PEOPLE } from './world.ts';

/** The only bot token this workspace accepts. */
export const TOKEN = 'xoxb-test-token';

export interface FakeSlackApi {
  /** The base URL to set as SLACK_API_URL. */
  readonly url: string;
  readonly calls: { method: string; args: Record<string, string>; at: number }[];
  close(): Promise<void>;
}

/** The app-level token Socket Mode opens its connection with. */
export const APP_TOKEN = 'xapp-1-test-app-token';

export async function startFakeSlackApi(
  options: { latencyMs?: number; socketUrl?: string } = {},
): Promise<FakeSlackApi> {
  const calls: FakeSlackApi['calls'] = [];
  let seq = 0;
  const app = express();
  app.post(
    '/api/:method',
    express.urlencoded({ extended: false, limit: '1mb' }),
    express.json({ limit: '1mb' }),
    async (req, res) => {
      const method = req.params.method;
      const args = Object.fromEntries(
        Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k,
          typeof v === 'string' ? v : JSON.stringify(v),
        ]),
      );
      calls.push({ method, args, at: performance.now() });
      if (method === 'apps.connections.open') {
        // Socket Mode opens its WebSocket with the app-level token, never the bot token.
        if (req.headers.authorization !== `Bearer ${APP_TOKEN}` || !options.socketUrl)
          return void res.json({ ok: false, error: 'invalid_auth' });
        return void res.json({ ok: true, url: options.socketUrl });
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.json({ ok: false, error: 'invalid_auth' });
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      switch (method) {
        case 'auth.test':
          return void res.json({
            ok: true,
            user_id: 'UHEALTHBOT',
            bot_id: 'BHEALTHBOT',
            team_id: 'T0HB1',
            user: 'healthbot',
          });
        case 'chat.postMessage':
          return void res.json({ ok: true, channel: args.channel, ts: `1764152000.${String(++seq).padStart(6, '0')}` });
        case 'chat.update':
          return void res.json({ ok: true, channel: args.channel, ts: args.ts });
        case 'chat.postEphemeral':
          return void res.json({ ok: true, message_ts: `1764153000.${String(++seq).padStart(6, '0')}` });
        case 'users.info': {
          const p = PEOPLE[args.user ?? ''];
          return void res.json(
            p
              ? {
                  ok: true,
                  user: {
                    id: args.user,
                    name: p.name.toLowerCase(),
                    locale: p.locale,
                    profile: { display_name: p.name, email: p.email },
                  },
                }
              : { ok: false, error: 'user_not_found' },
          );
        }
        case 'usergroups.users.list':
          return void res.json({ ok: true, users: [] });
        default:
          return void res.json({ ok: false, error: 'unknown_method' });
      }
    },
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    calls,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
