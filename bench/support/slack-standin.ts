/**
 * Slack's Web API for benchmarks, on 127.0.0.1, answering like Slack, after a realistic latency,
 * and throttling like Slack: past a method's documented limit it answers HTTP 429 with
 * `Retry-After` and `{ok: false, error: "ratelimited"}`, and counts it. Limits (api.slack.com,
 * "Rate limits"): chat.postMessage about one message a second per channel, short bursts allowed
 * (here: 3 in any second, 60 a minute); chat.update Tier 3 (50 a minute per workspace);
 * chat.postEphemeral Tier 4 (100 a minute); auth.test and users.info Tier 4.
 * Reusable by any benchmark that needs Slack (the `lighter` figures too).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { SlidingLimits } from './limits.ts';

export const STANDIN_SLACK_TOKEN = 'xoxb-bench-token';

export interface SlackStandIn {
  readonly url: string;
  readonly calls: {
    readonly method: string;
    readonly channel?: string;
    readonly threadTs?: string;
    readonly status: number;
  }[];
  /** Calls answered 429. */
  throttled(): number;
  close(): Promise<void>;
}

/** Per method: the windows that method is limited by. */
const WINDOWS: Readonly<Record<string, readonly { windowMs: number; max: number }[]>> = {
  'chat.postMessage': [
    { windowMs: 1_000, max: 3 },
    { windowMs: 60_000, max: 60 },
  ],
  'chat.update': [{ windowMs: 60_000, max: 50 }],
  'chat.postEphemeral': [{ windowMs: 60_000, max: 100 }],
  'auth.test': [{ windowMs: 60_000, max: 100 }],
  'users.info': [{ windowMs: 60_000, max: 100 }],
};

export async function startSlackStandIn(options: { latencyMs?: number } = {}): Promise<SlackStandIn> {
  const latency = options.latencyMs ?? 80;
  const calls: { method: string; channel?: string; threadTs?: string; status: number }[] = [];
  let seq = 0;
  // Fresh windows per stand-in: each run starts from a quiet workspace.
  const limits = Object.fromEntries(Object.entries(WINDOWS).map(([m, w]) => [m, new SlidingLimits(w)]));
  const app = express();
  app.post(
    '/api/:method',
    express.urlencoded({ extended: false, limit: '1mb' }),
    express.json({ limit: '1mb' }),
    async (req, res) => {
      const method = req.params.method;
      const args = (req.body ?? {}) as Record<string, string>;
      if (req.headers.authorization !== `Bearer ${STANDIN_SLACK_TOKEN}`)
        return void res.json({ ok: false, error: 'invalid_auth' });
      // Per channel for posts, per workspace for the rest.
      const key = method === 'chat.postMessage' ? (args.channel ?? '') : 'workspace';
      const wait = limits[method]?.take(key, Date.now()) ?? 0;
      const record = (status: number) =>
        calls.push({
          method,
          ...(args.channel ? { channel: args.channel } : {}),
          ...(args.thread_ts ? { threadTs: args.thread_ts } : {}),
          status,
        });
      if (wait > 0) {
        record(429);
        return void res.status(429).set('Retry-After', String(wait)).json({ ok: false, error: 'ratelimited' });
      }
      record(200);
      await new Promise((r) => setTimeout(r, latency));
      switch (method) {
        case 'auth.test':
          return void res.json({
            ok: true,
            user_id: 'UHEALTHBOT',
            bot_id: 'BHEALTHBOT',
            team_id: 'T0BENCH',
            user: 'healthbot',
          });
        case 'chat.postMessage':
          return void res.json({ ok: true, channel: args.channel, ts: `1764152000.${String(++seq).padStart(6, '0')}` });
        case 'chat.update':
          return void res.json({ ok: true, channel: args.channel, ts: args.ts });
        case 'users.info':
          return void res.json({
            ok: true,
            user: {
              id: args.user,
              name: args.user,
              locale: 'en-US',
              profile: { email: `${String(args.user).toLowerCase()}@contoso.com`, real_name: args.user },
            },
          });
        case 'chat.postEphemeral':
          return void res.json({ ok: true, message_ts: `1764153000.${String(++seq).padStart(6, '0')}` });
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
    throttled: () => calls.filter((c) => c.status === 429).length,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
