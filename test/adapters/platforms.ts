/**
 * The four chat platforms as tests drive them from the outside: Slack (signed HTTP requests, the
 * Web API on nock), Teams (Bot Framework activities, the Bot Connector on nock), the web chat
 * (its HTTP API) and the in-memory test platform. Each builds its adapter UNSTARTED, mounted on
 * a real port where it has a router, and reads back what each person sees, in neutral terms:
 * where a card is, its title, its text, its buttons, and who it is private to.
 *
 * The contract suite starts the adapter with a recording engine; the shared driver starts it with
 * a whole engine on the lab. Nothing here knows which.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import nock from 'nock';
import type { types } from '@slack/bolt';
import type { ChatAdapter, Clock, Store } from '../../src/core/index.ts';
import { readLocaleFiles } from '../../src/i18n/index.ts';
import { createHostCheck } from '../../src/wiring/hosts.ts';
import { mountChatAdapters } from '../../src/wiring/adapters.ts';
import { createSlackAdapter } from '../../adapters/slack/index.ts';
import { createTeamsAdapter } from '../../adapters/teams/index.ts';
import { createWebChat } from '../../adapters/web/index.ts';
import { createMemoryAdapter, memoryConversation } from '../support/memory-adapter.ts';
import { fixture as slackFixture, clickPayload, sign } from '../slack/world.ts';
import { FakeTeams, buttonsOf, cardIn, textOf, titleOf } from '../teams/fake-teams.ts';
import { CHANNEL, PEOPLE as TEAMS_PEOPLE, fixture as teamsFixture } from '../teams/server.ts';

export type Person = 'alice' | 'bob' | 'carol';
export const PERSONS: readonly Person[] = ['alice', 'bob', 'carol'];

export interface ShownCard {
  /** The platform's id of the message (what a click names). */
  readonly id: string;
  /** The thread or conversation it is in, in the platform's own terms. */
  readonly where: string;
  readonly title: string;
  readonly text: string;
  readonly buttons: readonly { readonly label: string; readonly value: string }[];
  /** Set when only this person sees the card. */
  readonly privateTo?: Person;
}

export interface Platform {
  readonly name: string;
  readonly adapter: ChatAdapter;
  /** `person` writes to the bot: in a new thread, or in `where`. `accepted` is the platform's 2xx. */
  say(person: Person, text: string, where?: string): Promise<{ accepted: boolean; where: string }>;
  click(person: Person, card: ShownCard, value: string): Promise<{ accepted: boolean }>;
  /** Every card the bot shows now (the latest version of each message), private ones included. */
  cards(): Promise<ShownCard[]>;
  close(): Promise<void>;
}

export interface PlatformDeps {
  readonly store: Store;
  readonly clock: Clock;
}

const locales = readLocaleFiles(join(import.meta.dirname, '../../locales'));
const texts = (ns: string) =>
  Object.fromEntries(Object.entries(locales).map(([l, files]) => [l, (files[ns] ?? {}) as Record<string, string>]));

async function listen(adapter: ChatAdapter): Promise<{ url: string; stop(): Promise<void> }> {
  const app = express();
  mountChatAdapters(app, [adapter]);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A rendered title without the severity mark in front (`ℹ`, `:warning:`), which every platform adds. */
const bareTitle = (title: string) => title.replace(/^(?:[^A-Za-z0-9\s]+|:[a-z_]+:)\s+/, '');

let seq = 0;
const next = () => ++seq;

// --- Slack -----------------------------------------------------------------------------------

const SLACK_USERS: Record<Person, { id: string; name: string; email: string }> = {
  alice: { id: 'UALICE', name: 'Alice', email: 'alice@contoso.com' },
  bob: { id: 'UBOB', name: 'Bob', email: 'bob@contoso.com' },
  carol: { id: 'UCAROL', name: 'Carol', email: 'carol@contoso.com' },
};
const slackPerson = (userId: string) => PERSONS.find((p) => SLACK_USERS[p].id === userId);

export async function slackPlatform(deps: PlatformDeps): Promise<Platform> {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const calls: { method: string; args: Record<string, string>; reply: Record<string, unknown> }[] = [];
  const answer = (method: string, args: Record<string, string>): Record<string, unknown> => {
    switch (method) {
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: `1764152000.${String(next()).padStart(6, '0')}` };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1764153000.${String(next()).padStart(6, '0')}` };
      case 'users.info': {
        const p = slackPerson(args.user ?? '');
        if (!p) return { ok: false, error: 'user_not_found' };
        const u = SLACK_USERS[p];
        return {
          ok: true,
          user: { id: u.id, name: p, locale: 'en-US', profile: { display_name: u.name, email: u.email } },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };
  nock('https://slack.com')
    .persist()
    .post(/^\/api\//)
    .reply((uri, body) => {
      const method = uri.replace(/^\/api\//, '');
      const args =
        typeof body === 'string'
          ? Object.fromEntries(new URLSearchParams(body))
          : Object.fromEntries(
              Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [
                k,
                typeof v === 'string' ? v : JSON.stringify(v),
              ]),
            );
      const reply = answer(method, args);
      calls.push({ method, args, reply });
      return [200, reply];
    });
  const adapter = await createSlackAdapter({
    store: deps.store,
    clock: deps.clock,
    log: () => {},
    config: { botToken: 'xoxb-test-token', signingSecret: 'contract-secret' },
    roleGroups: [],
    texts: texts('slack'),
    bot: { userId: 'UHEALTHBOT', botId: 'BHEALTHBOT' },
    clientOptions: { retryConfig: { retries: 0 } },
    minUpdateIntervalMs: 0,
    updatesPerMinute: 60_000,
  });
  const http = await listen(adapter);
  const post = async (body: string, contentType: string) =>
    (
      await fetch(`${http.url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, ...sign(body, undefined, 'contract-secret') },
        body,
      })
    ).status;
  const base = slackFixture<{ event: Record<string, unknown> } & Record<string, unknown>>('app_mention');
  const blockText = (blocks: types.KnownBlock[]) => JSON.stringify(blocks);
  const buttons = (blocks: types.KnownBlock[]) =>
    blocks.flatMap((b) =>
      b.type === 'actions'
        ? b.elements.flatMap((e) => (e.type === 'button' ? [{ label: e.text.text, value: e.value ?? '' }] : []))
        : [],
    );
  const titleOfBlocks = (blocks: types.KnownBlock[]) =>
    bareTitle(blocks[0]?.type === 'header' ? blocks[0].text.text : '');

  return {
    name: 'slack',
    adapter,
    async say(person, text, where) {
      const ts = `1764151200.${String(next()).padStart(6, '0')}`;
      const [channel, threadTs] = (where ?? `CINCIDENTS/${ts}`).split('/') as [string, string];
      const event = {
        ...base.event,
        user: SLACK_USERS[person].id,
        text: `<@UHEALTHBOT> ${text}`,
        ts,
        event_ts: ts,
        channel,
        ...(where ? { thread_ts: threadTs } : {}),
      };
      const status = await post(JSON.stringify({ ...base, event, event_id: `Ev${next()}` }), 'application/json');
      return { accepted: status === 200, where: `${channel}/${threadTs}` };
    },
    async click(person, card, value) {
      const [, threadTs] = card.where.split('/') as [string, string];
      const payload = clickPayload({
        messageTs: card.id,
        threadTs,
        value,
        user: SLACK_USERS[person].id,
        actionTs: `1764154000.${next()}`,
      });
      const status = await post(
        `payload=${encodeURIComponent(JSON.stringify(payload))}`,
        'application/x-www-form-urlencoded',
      );
      return { accepted: status === 200 };
    },
    async cards() {
      const latest = new Map<string, ShownCard>();
      for (const c of calls) {
        if (!c.args.blocks || c.reply.ok !== true) continue;
        const blocks = JSON.parse(c.args.blocks) as types.KnownBlock[];
        const common = { title: titleOfBlocks(blocks), text: blockText(blocks), buttons: buttons(blocks) };
        if (c.method === 'chat.postMessage' || c.method === 'chat.update') {
          const id = String(c.reply.ts);
          const prior = latest.get(id);
          latest.set(id, { id, where: prior?.where ?? `${c.args.channel}/${c.args.thread_ts}`, ...common });
        } else if (c.method === 'chat.postEphemeral') {
          const id = String(c.reply.message_ts);
          const who = slackPerson(c.args.user ?? '');
          latest.set(id, {
            id,
            where: `${c.args.channel}/${c.args.thread_ts}`,
            ...common,
            ...(who ? { privateTo: who } : {}),
          });
        }
      }
      return [...latest.values()];
    },
    async close() {
      await adapter.close();
      await http.stop();
      nock.cleanAll();
    },
  };
}

// --- Teams -----------------------------------------------------------------------------------

const TEAMS_OF: Record<Person, keyof typeof TEAMS_PEOPLE> = { alice: 'alice', bob: 'bob', carol: 'carol' };

export async function teamsPlatform(deps: PlatformDeps): Promise<Platform> {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const fake = new FakeTeams(Object.values(TEAMS_PEOPLE)).install();
  const adapter = createTeamsAdapter({
    store: deps.store,
    clock: deps.clock,
    config: { appId: '', insecureDev: true },
    log: () => {},
    texts: texts('teams'),
    invokeBudgetMs: 10_000,
    retry: { random: () => 0.5 },
  });
  const http = await listen(adapter);
  const invokeAnswers: ShownCard[] = [];
  const post = async (body: unknown) => {
    const res = await fetch(`${http.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      json:
        res.headers.get('content-type')?.includes('json') && text
          ? (JSON.parse(text) as Record<string, unknown>)
          : undefined,
    };
  };
  const from = (p: Person) => {
    const e = TEAMS_PEOPLE[TEAMS_OF[p]];
    return { id: e.id, name: e.name, aadObjectId: e.aadObjectId };
  };
  const personOfChat = (conversationId: string) =>
    PERSONS.find((p) => conversationId === `a:personal-${TEAMS_PEOPLE[TEAMS_OF[p]].id}`);
  const shown = (id: string, where: string, card: Record<string, unknown>, privateTo?: Person): ShownCard => ({
    id,
    where,
    title: bareTitle(titleOf(card)),
    text: textOf(card),
    buttons: buttonsOf(card).map((b) => ({ label: b.title, value: b.actionId })),
    ...(privateTo ? { privateTo } : {}),
  });

  return {
    name: 'teams',
    adapter,
    async say(person, text, where) {
      const base = teamsFixture('message-channel-mention');
      const id = `17324570${String(next()).padStart(5, '0')}`;
      const conversationId = where ?? `${CHANNEL};messageid=${id}`;
      const res = await post({
        ...base,
        id,
        from: from(person),
        text: `<at>Healthbot</at> ${text}`,
        conversation: { ...(base.conversation as object), id: conversationId },
      });
      return { accepted: res.status === 200, where: conversationId };
    },
    async click(person, card, value) {
      const base = teamsFixture('invoke-action-execute');
      const action = (base.value as { action: Record<string, unknown> }).action;
      const res = await post({
        ...base,
        id: `f:${next()}`,
        from: from(person),
        replyToId: card.id,
        conversation: { ...(base.conversation as object), id: card.where },
        value: { ...(base.value as object), action: { ...action, data: { healthbotAction: value } } },
      });
      // The invoke answer is what the clicker sees in place of the card; a notice there is theirs alone.
      const answered = res.json?.value as Record<string, unknown> | undefined;
      if (answered && /Only you can see this|Nur für dich sichtbar/.test(textOf(answered)))
        invokeAnswers.push(shown(`invoke-${next()}`, card.where, answered, person));
      return { accepted: res.status === 200 };
    },
    async cards() {
      const out = [...fake.messages].map(([id, m]) =>
        shown(id, m.conversationId, cardIn(m.body), personOfChat(m.conversationId)),
      );
      return [...out, ...invokeAnswers];
    },
    async close() {
      await adapter.close();
      await http.stop();
      nock.cleanAll();
    },
  };
}

// --- Web chat --------------------------------------------------------------------------------

const WEB_PERSONAS = [
  { id: 'alice', displayName: 'Alice (operator, approver)', directoryId: 'alice@contoso.com' },
  { id: 'bob', displayName: 'Bob (approver)', directoryId: 'bob@contoso.com' },
  { id: 'carol', displayName: 'Carol (viewer)', directoryId: 'carol@contoso.com' },
];

interface WebMessage {
  id: string;
  thread: string;
  author: { bot: boolean };
  html?: string;
  privateTo?: string;
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export async function webPlatform(deps: PlatformDeps): Promise<Platform> {
  const adapter = createWebChat({
    personas: WEB_PERSONAS,
    clock: deps.clock,
    log: () => {},
    texts: texts('web'),
    allowedHost: createHostCheck(undefined),
  });
  const http = await listen(adapter);
  const json = (body: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    name: 'web',
    adapter,
    async say(person, text, where) {
      const res = await fetch(
        `${http.url}/chat/messages`,
        json({ persona: person, text, clientId: `c${next()}`, ...(where ? { thread: where } : {}) }),
      );
      const body = res.ok ? ((await res.json()) as { thread: string }) : undefined;
      return { accepted: res.status === 202, where: body?.thread ?? '' };
    },
    async click(person, card, value) {
      const res = await fetch(
        `${http.url}/chat/actions`,
        json({ persona: person, actionId: value, messageId: card.id, thread: card.where, clickId: `k${next()}` }),
      );
      return { accepted: res.status === 202 };
    },
    async cards() {
      const seen = new Map<string, ShownCard>();
      for (const person of PERSONS) {
        const res = await fetch(`${http.url}/chat/messages?persona=${person}`);
        if (!res.ok) continue;
        for (const m of (await res.json()) as WebMessage[]) {
          if (!m.author.bot || !m.html) continue;
          const title = unescape(/<h3>([^<]*)<\/h3>/.exec(m.html)?.[1] ?? '');
          const buttons = [...m.html.matchAll(/data-action="([^"]+)"[^>]*>([^<]+)</g)].map((b) => ({
            label: unescape(b[2]!),
            value: unescape(b[1]!),
          }));
          const text = unescape(m.html.replace(/<[^>]+>/g, '\n')).replace(/\n+/g, '\n');
          const privateTo = PERSONS.find((p) => p === m.privateTo);
          seen.set(m.id, { id: m.id, where: m.thread, title, text, buttons, ...(privateTo ? { privateTo } : {}) });
        }
      }
      return [...seen.values()];
    },
    async close() {
      await adapter.close();
      await http.stop();
    },
  };
}

// --- In memory -------------------------------------------------------------------------------

export async function memoryPlatform(): Promise<Platform> {
  const adapter = createMemoryAdapter();
  const actor = (p: Person) => ({
    platform: 'memory',
    userId: p,
    displayName: p[0]!.toUpperCase() + p.slice(1),
    directoryId: `${p}@contoso.com`,
  });
  return {
    name: 'memory',
    adapter,
    async say(person, text, where) {
      const conversation = where ?? memoryConversation(`t${next()}`);
      return {
        accepted: adapter.receive({ kind: 'message', conversation, actor: actor(person), text }),
        where: conversation,
      };
    },
    async click(person, card, value) {
      return {
        accepted: adapter.receive({ kind: 'action', conversation: card.where, actor: actor(person), actionId: value }),
      };
    },
    async cards() {
      return adapter.messages.map((m) => ({
        id: m.id,
        where: m.conversation,
        title: m.card.title,
        text: [
          m.card.title,
          ...m.card.facts.map((f) => `${f.label}: ${f.value}`),
          ...m.card.sections.map((s) => (s.kind === 'list' ? s.items.join('\n') : s.text)),
          m.card.context ?? '',
        ].join('\n'),
        buttons: m.card.actions.map((a) => ({ label: a.label, value: a.id })),
        ...(PERSONS.includes(m.privateTo as Person) ? { privateTo: m.privateTo as Person } : {}),
      }));
    },
    close: () => adapter.close(),
  };
}

export const PLATFORMS: Readonly<Record<string, (deps: PlatformDeps) => Promise<Platform>>> = {
  slack: slackPlatform,
  teams: teamsPlatform,
  web: webPlatform,
  memory: memoryPlatform,
};
