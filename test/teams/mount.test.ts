/**
 * Teams and the web chat on one express app, as the composition root mounts them: both answer
 * POST /api/messages. Teams' router goes first and hands every body that is not a Bot Framework
 * activity on, already parsed, to the web chat.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import nock from 'nock';
import { afterEach, expect, it } from 'vitest';
import type { ChatEngine } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { readLocaleFiles } from '../../src/i18n/index.ts';
import { createWebChat } from '../../adapters/web/index.ts';
import { createTeamsAdapter } from '../../adapters/teams/index.ts';
import type { Harness } from '../engine/harness.ts';
import { createHarness } from '../engine/harness.ts';
import { FakeTeams, cardIn, titleOf } from './fake-teams.ts';
import { fixture, PEOPLE, THREAD } from './server.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  nock.cleanAll();
});

it('serves Teams and the web chat side by side on POST /api/messages, each conversation answered on its own platform', async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const fake = new FakeTeams(Object.values(PEOPLE)).install();
  const ref: { harness?: Harness } = {};
  const engine: ChatEngine = { handle: (event) => ref.harness!.engine.handle(event) };
  const store = createMemoryStore();
  const teams = createTeamsAdapter({ engine, store, clock: { now: () => new Date(), sleep: async () => {} }, log: () => {}, config: { appId: '', insecureDev: true } });
  const locales = readLocaleFiles(join(import.meta.dirname, '../../locales'));
  const web = createWebChat({
    engine,
    personas: [{ id: 'alice', displayName: 'Alice', directoryId: 'alice@contoso.com' }],
    clock: { now: () => new Date(), sleep: async () => {} },
    log: () => {},
    texts: Object.fromEntries(Object.entries(locales).map(([l, ns]) => [l, ns.web as Record<string, string>])),
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
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const fromWeb = await post({ persona: 'alice', text: 'help', clientId: 'c1' });
  expect(fromWeb.status).toBe(202);
  const fromTeams = await post({ ...fixture('message-channel-mention'), id: 'm-mount', text: '<at>Healthbot</at> help' });
  expect(fromTeams.status).toBe(200);
  await teams.idle();
  await new Promise((r) => setTimeout(r, 50));

  expect(titleOf(cardIn(fake.sends(THREAD)[0]!.body!))).toMatch(/What I can do/);
  expect(fake.sends()).toHaveLength(1);
  const page = (await (await fetch(`${url}?persona=alice`)).json()) as { html?: string }[];
  expect(page.filter((m) => m.html?.includes('What I can do'))).toHaveLength(1);
});
