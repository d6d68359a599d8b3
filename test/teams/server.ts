/**
 * The Teams adapter on a real HTTP port on 127.0.0.1, in front of a whole engine on the lab (the
 * engine harness), with the Bot Connector faked on nock. Requests are the activities of
 * test/teams/fixtures, adjusted per test: who sends, what text, which button.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import nock from 'nock';
import type { Actor, ChatEngine, Clock, Store } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import type { TeamsAdapter, TeamsAdapterOptions } from '../../adapters/teams/index.ts';
import { createTeamsAdapter } from '../../adapters/teams/index.ts';
import type { Harness } from '../engine/harness.ts';
import { createHarness } from '../engine/harness.ts';
import type { RosterEntry } from './fake-teams.ts';
import { FakeTeams } from './fake-teams.ts';
import { adapterTexts } from '../support/texts.ts';

export const APP_ID = '5b07a1c2-3d4e-4f50-8a61-b72c83d94e05';
export const CHANNEL = '19:6a1bf8c3e4d24a7b9c0d1e2f3a4b5c6d@thread.tacv2';
export const THREAD = `${CHANNEL};messageid=1732456800123`;
export const TEAM = '19:0e1d2c3b4a5f46978899aabbccddeeff@thread.tacv2';

export const PEOPLE = {
  alice: {
    id: '29:1aLiCeQ8v3Zb6Xo0pWmKcTnR2yEuJhGfDsA9-4l7B',
    name: 'Alice Admin',
    aadObjectId: 'a11ce000-1111-4a1a-9a1a-000000000001',
    userPrincipalName: 'alice@contoso.com',
  },
  bob: {
    id: '29:1bOb5Hk2Jd8Lf0Nh3Pj6Rl9Tn1Vp4Xr7Zt0Bv-3Cx',
    name: 'Bob Backup',
    aadObjectId: 'b0b00000-2222-4b2b-9b2b-000000000002',
    userPrincipalName: 'bob@contoso.com',
  },
  carol: {
    id: '29:1cArOl4Gh6Jk8Lm0Np2Qr4St6Uv8Wx0Yz2Ab-4Cd',
    name: 'Carol Viewer',
    aadObjectId: 'ca201000-3333-4c3c-9c3c-000000000003',
    userPrincipalName: 'carol@contoso.com',
  },
  dave: {
    id: '29:1dAvEx7Lm2Nq4Rs6Tu8Vw0Xy1Za3Bc5De7Fg9Hi-2jK',
    name: 'Dave Dienst',
    aadObjectId: 'da7e0000-4444-4d4d-9d4d-000000000004',
    userPrincipalName: 'dave@contoso.com',
  },
} satisfies Record<string, RosterEntry>;
export type Person = keyof typeof PEOPLE;

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

const sender = (p: Person) => ({ id: PEOPLE[p].id, name: PEOPLE[p].name, aadObjectId: PEOPLE[p].aadObjectId });

let seq = 0;
const nextId = () => `17324570${String(++seq).padStart(5, '0')}`;

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly fields?: object;
}

export interface TeamsServer {
  readonly url: string;
  readonly harness: Harness;
  readonly adapter: TeamsAdapter;
  readonly fake: FakeTeams;
  readonly store: Store;
  readonly logs: LogLine[];
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown; text: string }>;
  /** A message from `as` (channel thread by default) with `text` after the bot's mention. */
  say(
    text: string,
    as?: Person,
    options?: { fixture?: string; conversationId?: string; locale?: string; id?: string },
  ): Promise<{ status: number }>;
  /** An Action.Execute click on message `replyToId`; answers with the invoke response body. */
  click(
    actionId: string,
    as: Person,
    replyToId: string,
    options?: { id?: string; conversationId?: string; locale?: string },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Everything handed to the engine is done and every outgoing call answered. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly scenario?: string;
  readonly appId?: string;
  readonly appPassword?: string;
  readonly invokeBudgetMs?: number;
  readonly canSetAlerts?: (actor: Actor) => boolean;
  /** Replaces the engine (a hung engine, a failing one). */
  readonly engine?: (real: ChatEngine) => ChatEngine;
  readonly extra?: Partial<TeamsAdapterOptions>;
  /** A real store (embedded, PostgreSQL) instead of the in-memory one. */
  readonly store?: Store;
}

export async function startTeams(options: StartOptions = {}): Promise<TeamsServer> {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const fake = new FakeTeams(Object.values(PEOPLE)).install();
  const store = options.store ?? createMemoryStore();
  const ref: { harness?: Harness } = {};
  const realEngine: ChatEngine = {
    handle: (event, reply) => ref.harness!.engine.handle(event, reply),
    claim: (id) => ref.harness!.engine.claim(id),
  };
  const engine = options.engine ? options.engine(realEngine) : realEngine;
  const clock: Clock = { now: () => ref.harness!.clock.now(), sleep: (ms) => ref.harness!.clock.sleep(ms) };
  const logs: LogLine[] = [];
  const adapter = createTeamsAdapter({
    engine,
    texts: adapterTexts('teams'),
    store,
    clock,
    config: {
      appId: options.appId ?? '',
      insecureDev: !options.appId,
      ...(options.appPassword ? { appPassword: options.appPassword } : {}),
    },
    log: (level, msg, fields) => logs.push({ level, msg, ...(fields ? { fields } : {}) }),
    invokeBudgetMs: options.invokeBudgetMs ?? 10_000,
    retry: { random: () => 0.5 },
    ...(options.canSetAlerts ? { canSetAlerts: options.canSetAlerts } : {}),
    ...options.extra,
  });
  const harness = (ref.harness = await createHarness(options.scenario ?? 'imap-backend-hang', {
    store,
    overrides: { surfaces: (conversation) => (adapter.owns(conversation) ? adapter.surface : undefined) },
  }));
  const app = express();
  app.use(adapter.router);
  // A route behind Teams' on the same path: whatever reaches it fell through Teams' endpoint.
  app.post('/api/messages', express.json(), (req, res) => void res.json({ passedOn: req.body as unknown }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const post: TeamsServer['post'] = async (body, headers = {}) => {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };

  return {
    url,
    harness,
    adapter,
    fake,
    store,
    logs,
    post,
    async say(text, as = 'alice', o = {}) {
      const a = fixture(o.fixture ?? 'message-channel-mention');
      const conversation = a.conversation as Record<string, unknown>;
      const res = await post({
        ...a,
        id: o.id ?? nextId(),
        from: sender(as),
        text:
          o.fixture && o.fixture !== 'message-channel-mention' && o.fixture !== 'message-groupchat'
            ? text
            : `<at>Healthbot</at> ${text}`,
        conversation: { ...conversation, ...(o.conversationId ? { id: o.conversationId } : {}) },
        ...(o.locale ? { locale: o.locale } : {}),
      });
      return { status: res.status };
    },
    async click(actionId, as, replyToId, o = {}) {
      const a = fixture('invoke-action-execute');
      const conversation = a.conversation as Record<string, unknown>;
      const value = a.value as { action: Record<string, unknown> };
      const res = await post({
        ...a,
        id: o.id ?? `f:${nextId()}`,
        from: sender(as),
        replyToId,
        conversation: { ...conversation, ...(o.conversationId ? { id: o.conversationId } : {}) },
        value: { ...value, action: { ...value.action, data: { healthbotAction: actionId } } },
        ...(o.locale ? { locale: o.locale } : {}),
      });
      return { status: res.status, body: res.json as Record<string, unknown> };
    },
    settle: () => adapter.idle(),
    async close() {
      await adapter.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      nock.cleanAll();
    },
  };
}
