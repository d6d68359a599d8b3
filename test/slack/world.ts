/**
 * A Slack workspace for tests: the adapter in HTTP mode on 127.0.0.1 in front of a whole engine on
 * the lab, and the Slack Web API played by nock with the network closed. Requests are signed the
 * way Slack signs them; every Web API call is recorded with its decoded arguments.
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import express from 'express';
import nock from 'nock';
import type { types } from '@slack/bolt';
import { systemClock } from '../../src/core/index.ts';
import { readLocaleFiles } from '../../src/i18n/index.ts';
import type { SlackAdapter, SlackAdapterOptions } from '../../adapters/slack/index.ts';
import { createSlackAdapter } from '../../adapters/slack/index.ts';
import type { Harness } from '../engine/harness.ts';
import { createHarness } from '../engine/harness.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const SLACK_API = 'https://slack.com';

export interface SlackCall {
  readonly method: string;
  readonly args: Record<string, string>;
  readonly status: number;
  readonly reply: Record<string, unknown>;
}

type Reply = [status: number, body: Record<string, unknown>, headers?: Record<string, string>];

export const PEOPLE: Record<string, { name: string; email: string; locale: string }> = {
  UALICE: { name: 'Alice', email: 'alice@contoso.com', locale: 'en-US' },
  UBOB: { name: 'Bob', email: 'bob@contoso.com', locale: 'en-GB' },
  UCAROL: { name: 'Carol <!channel>', email: 'carol@contoso.com', locale: 'en-US' },
  UDAVE: { name: 'Dave', email: 'dave@contoso.com', locale: 'de-DE' },
  UELOISE: { name: 'Éloïse', email: 'eloise@contoso.com', locale: 'fr-FR' },
  UJUN: { name: 'Jun', email: 'jun@contoso.com', locale: 'ja-JP' },
};

export const fixture = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8')) as T;

export function sign(
  body: string,
  at = Math.floor(Date.now() / 1000),
  secret = SIGNING_SECRET,
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${at}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(at), 'x-slack-signature': `v0=${signature}` };
}

export interface SlackWorld {
  readonly url: string;
  readonly calls: SlackCall[];
  readonly harness: Harness;
  readonly adapter: SlackAdapter;
  /** Answers the next calls of a method differently (a 429, an error), then back to normal. */
  override(method: string, replies: Reply[]): void;
  event(payload: unknown, headers?: Record<string, string>): Promise<Response>;
  click(payload: unknown): Promise<Response>;
  command(fields: Record<string, string>): Promise<Response>;
  raw(body: string, headers: Record<string, string>): Promise<Response>;
  /** Every message the bot posted or updated, newest version last. */
  cards(): { ts: string; method: string; blocks: types.KnownBlock[]; text: string }[];
  until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

function decode(body: unknown): Record<string, string> {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  return Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
}

export async function startSlackWorld(
  scenario: string,
  options: { adapter?: Partial<SlackAdapterOptions>; groups?: Record<string, string[]> } = {},
): Promise<SlackWorld> {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const calls: SlackCall[] = [];
  const overrides = new Map<string, Reply[]>();
  let seq = 0;
  const answer = (method: string, args: Record<string, string>): Reply => {
    const queued = overrides.get(method);
    if (queued?.length) return queued.shift()!;
    switch (method) {
      case 'chat.postMessage':
        return [200, { ok: true, channel: args.channel, ts: `1764152000.${String(++seq).padStart(6, '0')}` }];
      case 'chat.update':
        return [200, { ok: true, channel: args.channel, ts: args.ts }];
      case 'chat.postEphemeral':
        return [200, { ok: true, message_ts: `1764153000.${String(++seq).padStart(6, '0')}` }];
      case 'users.info': {
        const p = PEOPLE[args.user ?? ''];
        if (!p) return [200, { ok: false, error: 'user_not_found' }];
        return [
          200,
          {
            ok: true,
            user: {
              id: args.user,
              name: p.name.toLowerCase(),
              locale: p.locale,
              profile: { display_name: p.name, email: p.email },
            },
          },
        ];
      }
      case 'usergroups.users.list':
        return [200, { ok: true, users: options.groups?.[args.usergroup ?? ''] ?? [] }];
      default:
        return [200, { ok: false, error: 'unknown_method' }];
    }
  };
  nock(SLACK_API)
    .persist()
    .post(/^\/api\//)
    .reply((uri, body) => {
      const method = uri.replace(/^\/api\//, '');
      const args = decode(body);
      const reply = answer(method, args);
      calls.push({ method, args, status: reply[0], reply: reply[1] });
      return reply;
    });

  const ref: { harness?: Harness } = {};
  const adapter = await createSlackAdapter({
    engine: { handle: (e) => ref.harness!.engine.handle(e), claim: (id) => ref.harness!.engine.claim(id) },
    store: { getConversation: (c) => ref.harness!.store.getConversation(c) },
    clock: systemClock,
    log: () => {},
    config: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET },
    roleGroups: Object.keys(options.groups ?? {}),
    texts: Object.fromEntries(
      Object.entries(readLocaleFiles(join(import.meta.dirname, '../../locales'))).map(([l, ns]) => [
        l,
        ns.slack as Record<string, string>,
      ]),
    ),
    bot: { userId: 'UHEALTHBOT', botId: 'BHEALTHBOT' },
    clientOptions: { retryConfig: { retries: 0 } },
    minUpdateIntervalMs: 0,
    updatesPerMinute: 60_000,
    ...options.adapter,
  });
  ref.harness = await createHarness(scenario, { overrides: { surfaces: () => adapter.surface } });
  const app = express();
  app.use(adapter.router!);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = (body: string, headers: Record<string, string>) =>
    fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  const signed = (body: string, contentType: string, extra: Record<string, string> = {}) =>
    raw(body, { 'content-type': contentType, ...sign(body), ...extra });

  return {
    url,
    calls,
    harness: ref.harness,
    adapter,
    override: (method, replies) => overrides.set(method, [...(overrides.get(method) ?? []), ...replies]),
    event: (payload, headers = {}) => signed(JSON.stringify(payload), 'application/json', headers),
    click: (payload) =>
      signed(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded'),
    command: (fields) => signed(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded'),
    raw,
    cards() {
      const latest = new Map<string, { ts: string; method: string; blocks: types.KnownBlock[]; text: string }>();
      for (const c of calls) {
        if ((c.method !== 'chat.postMessage' && c.method !== 'chat.update') || !c.args.blocks || c.reply.ok !== true)
          continue;
        const ts = String(c.reply.ts);
        latest.set(ts, {
          ts,
          method: c.method,
          blocks: JSON.parse(c.args.blocks) as types.KnownBlock[],
          text: c.args.text ?? '',
        });
      }
      return [...latest.values()];
    },
    async until(what, probe, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; calls: ${calls.map((c) => c.method).join(', ')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      await adapter.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

/** The value (the engine's action id) of the button whose label matches. */
export function buttonValue(blocks: types.KnownBlock[], label: RegExp): string {
  for (const b of blocks) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements) if (e.type === 'button' && label.test(e.text.text)) return e.value!;
  }
  throw new Error(`no button ${label}`);
}

export const headerOf = (blocks: types.KnownBlock[]) => (blocks[0]?.type === 'header' ? blocks[0].text.text : '');

export interface EventEnvelope {
  readonly event_id: string;
  readonly team_id: string;
  readonly event: {
    readonly ts: string;
    readonly user: string;
    readonly thread_ts?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** A `block_actions` payload from the fixture, as if `user` clicked the button carrying `value`. */
export function clickPayload(click: {
  messageTs: string;
  threadTs: string;
  value: string;
  user: string;
  actionTs: string;
}) {
  const payload = fixture<{ user: object; container: object; message: object; actions: object[] }>('block_actions');
  return {
    ...payload,
    user: { ...payload.user, id: click.user, username: click.user.toLowerCase(), name: click.user.toLowerCase() },
    container: { ...payload.container, message_ts: click.messageTs, thread_ts: click.threadTs },
    message: { ...payload.message, ts: click.messageTs, thread_ts: click.threadTs },
    actions: [{ ...payload.actions[0], value: click.value, action_ts: click.actionTs }],
  };
}
