/**
 * Teams and the web chat on one express app, as the composition root mounts them. Teams owns
 * POST /api/messages; the web chat's API is at /chat/... . A body meant for the web chat that is
 * posted to Teams' path is refused there: with MICROSOFT_APP_ID set, nothing but an authenticated
 * Bot Framework activity acts on /api/messages.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import nock from 'nock';
import { afterEach, expect, it } from 'vitest';
import type { ChatEngine, InboundEvent } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { readLocaleFiles } from '../../src/i18n/index.ts';
import { createHostCheck } from '../../src/wiring/hosts.ts';
import { createWebChat } from '../../adapters/web/index.ts';
import { createTeamsAdapter } from '../../adapters/teams/index.ts';
import type { Harness } from '../engine/harness.ts';
import { createHarness } from '../engine/harness.ts';
import { mockBotFrameworkLogin } from './bot-auth.ts';
import { FakeTeams, cardIn, titleOf } from './fake-teams.ts';
import { APP_ID, fixture, PEOPLE, THREAD } from './server.ts';
import { adapterTexts } from '../support/texts.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
  nock.cleanAll();
});

async function mountBoth(appId: string) {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const fake = new FakeTeams(Object.values(PEOPLE)).install();
  if (appId) mockBotFrameworkLogin();
  const ref: { harness?: Harness } = {};
  const handled: InboundEvent[] = [];
  const engine: ChatEngine = {
    handle: (event, reply) => {
      handled.push(event);
      return ref.harness!.engine.handle(event, reply);
    },
    claim: (id) => ref.harness!.engine.claim(id),
  };
  const store = createMemoryStore();
  const clock = { now: () => new Date(), sleep: async () => {} };
  const teams = createTeamsAdapter({
    engine,
    store,
    clock,
    texts: adapterTexts('teams'),
    log: () => {},
    config: appId ? { appId, appPassword: 'not-a-real-secret', insecureDev: false } : { appId: '', insecureDev: true },
  });
  const locales = readLocaleFiles(join(import.meta.dirname, '../../locales'));
  const web = createWebChat({
    engine,
    personas: [{ id: 'alice', displayName: 'Alice', directoryId: 'alice@contoso.com' }],
    clock,
    log: () => {},
    texts: Object.fromEntries(Object.entries(locales).map(([l, ns]) => [l, ns.web as Record<string, string>])),
    allowedHost: createHostCheck(undefined),
  });
  ref.harness = await createHarness('imap-backend-hang', {
    store,
    overrides: { surfaces: (c) => (teams.owns(c) ? teams.surface : web.owns(c) ? web.surface : undefined) },
  });
  const app = express();
  app.use(teams.router);
  app.use('/', web.router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  close = async () => {
    await teams.close();
    await web.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { fake, teams, url, post, handled };
}

it('serves Teams at /api/messages and the web chat at /chat/messages side by side, each conversation answered on its own platform', async () => {
  const { fake, teams, url, post } = await mountBoth('');
  const fromWeb = await post('/chat/messages', { persona: 'alice', text: 'help', clientId: 'c1' });
  expect(fromWeb.status).toBe(202);
  const fromTeams = await post('/api/messages', {
    ...fixture('message-channel-mention'),
    id: 'm-mount',
    text: '<at>Healthbot</at> help',
  });
  expect(fromTeams.status).toBe(200);
  await teams.idle();
  const page = async () =>
    ((await (await fetch(`${url}/chat/messages?persona=alice`)).json()) as { html?: string }[]).filter((m) =>
      m.html?.includes('What I can do'),
    );
  while ((await page()).length === 0) await new Promise((r) => setImmediate(r));

  expect(titleOf(cardIn(fake.sends(THREAD)[0]!.body!))).toMatch(/What I can do/);
  expect(fake.sends()).toHaveLength(1);
  expect(await page()).toHaveLength(1);
});

it('with MICROSOFT_APP_ID set, a persona message posted to /api/messages is refused and never reaches the web chat or the engine', async () => {
  const { fake, teams, url, post, handled } = await mountBoth(APP_ID);
  for (const body of [
    { persona: 'alice', text: 'restart everything', clientId: 'c-attack' },
    { type: 'message', serviceUrl: 'https://smba.trafficmanager.net/emea/', persona: 'alice', text: 'help' },
  ]) {
    const res = await post('/api/messages', body);
    expect(res.status, JSON.stringify(body)).toBe(400);
  }
  // An activity without a token is refused by authentication.
  expect(
    (
      await post('/api/messages', {
        ...fixture('message-channel-mention'),
        id: 'm-unsigned',
        text: '<at>Healthbot</at> help',
      })
    ).status,
  ).toBe(401);
  await teams.idle();
  expect(handled).toEqual([]);
  expect(await (await fetch(`${url}/chat/messages?persona=alice`)).json()).toEqual([]);
  expect(fake.sends()).toEqual([]);
});
