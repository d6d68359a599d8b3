/**
 * The clients the SDK makes for each inbound activity are made once per app id, audience and
 * service URL, and reused by the turns after; the cache of them is bounded and keeps no failure.
 * The tokens are real Bot Framework tokens checked by the SDK (bot-auth.ts).
 */
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Activity, TurnContext } from 'botbuilder';
import { HealthbotCloudAdapter } from '../../adapters/teams/cloud-adapter.ts';
import { ClientReusingAuthentication } from '../../adapters/teams/reused-clients.ts';
import { KeptPromises } from '../../adapters/teams/kept-promises.ts';
import { createTeamsAdapter } from '../../adapters/teams/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { systemClock } from '../../src/core/index.ts';
import { channelToken, mockBotFrameworkLogin } from './bot-auth.ts';
import { SERVICE_URL } from './fake-teams.ts';
import { APP_ID, fixture } from './server.ts';

describe('KeptPromises', () => {
  it('makes a thing once per key and hands the same promise back after', async () => {
    const kept = new KeptPromises<object>(4);
    let made = 0;
    const make = () => Promise.resolve({ n: ++made });
    const a = kept.get('a', make);
    expect(kept.get('a', make)).toBe(a);
    expect(await kept.get('b', make)).toEqual({ n: 2 });
    expect(made).toBe(2);
  });

  it('drops the least recently used key beyond its bound', async () => {
    const kept = new KeptPromises<string>(2);
    const made: string[] = [];
    const make = (key: string) => () => (made.push(key), Promise.resolve(key));
    void kept.get('a', make('a'));
    void kept.get('b', make('b'));
    void kept.get('a', make('a')); // a used again: b is now the oldest
    void kept.get('c', make('c'));
    expect(kept.size).toBe(2);
    void kept.get('a', make('a'));
    void kept.get('b', make('b'));
    expect(made).toEqual(['a', 'b', 'c', 'b']);
  });

  it('keeps no failure: the next request for the key makes it again', async () => {
    const kept = new KeptPromises<string>(4);
    await expect(kept.get('a', () => Promise.reject(new Error('token endpoint down')))).rejects.toThrow('down');
    expect(kept.size).toBe(0);
    expect(await kept.get('a', () => Promise.resolve('made'))).toBe('made');
  });
});

describe('ClientReusingAuthentication', () => {
  beforeEach(() => {
    nock.disableNetConnect();
    mockBotFrameworkLogin();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const auth = () =>
    new ClientReusingAuthentication({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppTenantId: '',
    });
  const activity = (id: string, serviceUrl = SERVICE_URL) =>
    ({ ...fixture('message-channel-mention'), id, serviceUrl }) as unknown as Activity;
  const bearer = (serviceUrl = SERVICE_URL) => `Bearer ${channelToken({ appId: APP_ID, serviceUrl })}`;

  it('gives every turn from one service URL the same connector and user-token clients', async () => {
    const adapter = new HealthbotCloudAdapter(auth());
    const seen: { connector: unknown; userToken: unknown }[] = [];
    const logic = async (context: TurnContext) => {
      seen.push({
        connector: context.turnState.get(adapter.ConnectorClientKey),
        userToken: context.turnState.get(adapter.UserTokenClientKey),
      });
    };
    for (const id of ['m-1', 'm-2', 'm-3'])
      expect((await adapter.authenticateAndRun(bearer(), activity(id), logic)).status).toBe(200);
    expect(seen).toHaveLength(3);
    expect(seen[0]!.connector).toBeDefined();
    expect(seen[1]!.connector).toBe(seen[0]!.connector);
    expect(seen[2]!.connector).toBe(seen[0]!.connector);
    expect(seen[2]!.userToken).toBe(seen[0]!.userToken);
  });

  it('makes another connector for another service URL or audience', async () => {
    const reusing = auth();
    const first = await reusing.authenticateRequest(activity('m-1'), bearer());
    const other = 'https://smba.trafficmanager.net/amer/';
    const second = await reusing.authenticateRequest(activity('m-2', other), bearer(other));
    const here = await first.connectorFactory!.create(SERVICE_URL, first.audience);
    expect(await second.connectorFactory!.create(SERVICE_URL, second.audience)).toBe(here);
    expect(await second.connectorFactory!.create(other, second.audience)).not.toBe(here);
    expect(await first.connectorFactory!.create(SERVICE_URL, 'https://api.botframework.us')).not.toBe(here);
  });

  it('still refuses a token that does not validate', async () => {
    // The SDK prints each token it rejects.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const forged = `Bearer ${channelToken({ appId: APP_ID, serviceUrl: SERVICE_URL, forged: true })}`;
    await expect(auth().authenticateRequest(activity('m-1'), forged)).rejects.toThrow();
  });
});

describe('the Teams adapter', () => {
  it("owns its messaging path, so the bot's server hands those requests straight to it", () => {
    const make = (path?: string) =>
      createTeamsAdapter({
        store: createMemoryStore(),
        clock: systemClock,
        log: () => {},
        config: { appId: '', insecureDev: true },
        texts: {},
        ...(path ? { path } : {}),
      });
    expect(make().ownPaths).toEqual(['/api/messages']);
    expect(make('/bots/teams').ownPaths).toEqual(['/bots/teams']);
  });
});
