/**
 * Hosting: the /api/messages endpoint with and without an app id, what it refuses before the SDK
 * sees a request, how it shares the route with the web chat, and shutting down.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/core/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { createTeamsAdapter } from '../../adapters/teams/index.ts';
import { statusForAuthFailure } from '../../adapters/teams/cloud-adapter.ts';
import { channelToken, mockBotFrameworkLogin, OUTGOING_TOKEN } from './bot-auth.ts';
import { SERVICE_URL, titleOf, cardIn } from './fake-teams.ts';
import { APP_ID, fixture, startTeams, THREAD } from './server.ts';
import type { TeamsServer } from './server.ts';

let s: TeamsServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const help = (id: string) => ({ ...fixture('message-channel-mention'), id, text: '<at>Healthbot</at> help' });

describe('Teams endpoint with an app id (authentication on)', () => {
  it('answers 401 to a request without a valid Bot Framework token, and nothing reaches the engine', async () => {
    // The SDK prints each token it rejects; the assertions below say what matters.
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    mockBotFrameworkLogin();
    s = await startTeams({ appId: APP_ID, appPassword: 'not-a-real-secret' });
    const tokens: Record<string, string | undefined> = {
      none: undefined,
      junk: 'Bearer junk',
      'another app': `Bearer ${channelToken({ appId: '00000000-0000-4000-8000-000000000000', serviceUrl: SERVICE_URL })}`,
      'unknown signing key': `Bearer ${channelToken({ appId: APP_ID, serviceUrl: SERVICE_URL, kid: 'not-published' })}`,
      forged: `Bearer ${channelToken({ appId: APP_ID, serviceUrl: SERVICE_URL, forged: true })}`,
      expired: `Bearer ${channelToken({ appId: APP_ID, serviceUrl: SERVICE_URL, expiresIn: -3600 })}`,
      'other service URL': `Bearer ${channelToken({ appId: APP_ID, serviceUrl: 'https://smba.trafficmanager.net/amer/' })}`,
      'wrong issuer': `Bearer ${channelToken({ appId: APP_ID, serviceUrl: SERVICE_URL, issuer: 'https://evil.example' })}`,
    };
    for (const [name, authorization] of Object.entries(tokens)) {
      const res = await s.post(help(`m-${name}`), authorization ? { authorization } : {});
      expect(res.status, name).toBe(401);
    }
    const invoke = await s.post(fixture('invoke-action-execute'));
    expect(invoke.status).toBe(401);
    await s.settle();
    expect(s.fake.calls).toEqual([]);
    expect(await s.store.claimEvent('teams:m-none', new Date())).toBe(true);
    expect(s.logs.filter((l) => /refused a request without a valid/.test(l.msg))).toHaveLength(
      Object.keys(tokens).length + 1,
    );
    printed.mockRestore();
  });

  it('tells a bad token (401) from its own failure to fetch the signing keys (503, so Teams retries)', () => {
    expect(statusForAuthFailure(Object.assign(new Error('invalid signature'), { name: 'JsonWebTokenError' }))).toBe(
      401,
    );
    expect(statusForAuthFailure(Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' }))).toBe(401);
    expect(
      statusForAuthFailure(Object.assign(new Error('Unauthorized'), { name: 'AuthenticationError', statusCode: 401 })),
    ).toBe(401);
    expect(
      statusForAuthFailure(
        Object.assign(new Error('Failed to load openID config: 500'), { name: 'AuthenticationError', statusCode: 500 }),
      ),
    ).toBe(503);
    expect(statusForAuthFailure(new TypeError('Cannot read properties of undefined'))).toBe(401);
  });

  it('accepts a correctly signed token and signs its own replies', async () => {
    mockBotFrameworkLogin();
    s = await startTeams({ appId: APP_ID, appPassword: 'not-a-real-secret' });
    const res = await s.post(help('m-signed'), {
      authorization: `Bearer ${channelToken({ appId: APP_ID, serviceUrl: SERVICE_URL })}`,
    });
    expect(res.status).toBe(200);
    await s.settle();
    const [reply] = s.fake.sends(THREAD);
    expect(titleOf(cardIn(reply!.body!))).toMatch(/What I can do/);
    expect(reply!.authorization).toBe(`Bearer ${OUTGOING_TOKEN}`);
    // Authentication on: no warning about insecure mode.
    expect(s.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });
});

describe('Teams endpoint without an app id', () => {
  const base = {
    texts: {},
    engine: { handle: async () => {}, claim: async () => true },
    store: createMemoryStore(),
    clock: { now: () => new Date(), sleep: async () => {} },
  };

  it('refuses to start, because an empty app id switches authentication off in the SDK', () => {
    expect(() => createTeamsAdapter({ ...base, log: () => {}, config: { appId: '', insecureDev: false } })).toThrow(
      ConfigError,
    );
    expect(() => createTeamsAdapter({ ...base, log: () => {}, config: { appId: '', insecureDev: false } })).toThrow(
      /MICROSOFT_APP_ID/,
    );
  });

  it('starts in insecure dev mode with a warning, every time it starts', () => {
    for (let i = 0; i < 2; i++) {
      const lines: string[] = [];
      createTeamsAdapter({
        ...base,
        log: (level, msg) => lines.push(`${level}: ${msg}`),
        config: { appId: '', insecureDev: true },
      });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^warn: Teams runs WITHOUT authentication/);
    }
  });

  it('in insecure dev mode, ignores any Authorization header (the SDK does not check it)', async () => {
    s = await startTeams();
    expect((await s.post(help('m-any'), { authorization: 'Bearer junk' })).status).toBe(200);
  });
});

describe('Teams endpoint plumbing', () => {
  it('owns POST /api/messages: bodies that are not activities, or not JSON, are refused there and never reach a route behind it', async () => {
    for (const appId of [undefined, APP_ID]) {
      if (appId) mockBotFrameworkLogin();
      s = await startTeams(appId ? { appId, appPassword: 'not-a-real-secret' } : {});
      const web = await s.post({ persona: 'alice', text: 'hello' });
      expect(web.status).toBe(400);
      expect(web.json).toBeUndefined();
      const noChannel: Record<string, unknown> = { ...help('m-nochannel') };
      delete noChannel.channelId;
      expect((await s.post(noChannel)).status).toBe(400);
      const form = await fetch(`${s.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'persona=alice&text=hi',
      });
      expect(form.status).toBe(415);
      expect(await form.text()).not.toMatch(/passedOn/);
      // Other methods are not Teams' business and go on.
      expect((await fetch(`${s.url}/api/messages`)).status).toBe(404);
      await s.settle();
      expect(s.fake.calls).toEqual([]);
      await s.close();
      s = undefined;
    }
  });

  it('refuses broken JSON, bodies that are too large and service URLs that are not https', async () => {
    s = await startTeams();
    const broken = await s.post('{"type": "message",');
    expect(broken).toMatchObject({ status: 400, text: 'body is not valid JSON' });
    const huge = { ...help('m-huge'), text: 'x'.repeat(300 * 1024) };
    expect(await s.post(huge)).toMatchObject({ status: 413, text: 'request body too large' });
    // Without authentication no token vouches for the service URL: only Bot Connector hosts.
    for (const serviceUrl of [
      'http://evil.example/',
      'ftp://smba.trafficmanager.net/',
      'https://user:pw@evil.example/',
      'not a url',
      'https://evil.example/emea/',
      'https://trafficmanager.net.evil.example/',
    ]) {
      expect((await s.post({ ...help(`m-${serviceUrl}`), serviceUrl })).status, serviceUrl).toBe(400);
    }
    await s.settle();
    expect(s.fake.calls).toEqual([]);
  });

  it('accepts the service URLs of Teams, its government clouds and a local emulator', async () => {
    const { isConnectorServiceUrl } = await import('../../adapters/teams/connector.ts');
    for (const url of [
      'https://smba.trafficmanager.net/emea/',
      'https://smba.infra.gcc.teams.microsoft.com/',
      'https://smba.infra.gov.teams.microsoft.us/',
      'https://directline.botframework.com/',
      'http://localhost:3978/',
      'http://127.0.0.1:50000/',
    ]) {
      expect(isConnectorServiceUrl(url), url).toBe(true);
    }
    for (const url of [
      'http://smba.trafficmanager.net/emea/',
      'https://evil.example/',
      'http://10.0.0.1/',
      'https://botframework.com.evil.example/',
    ])
      expect(isConnectorServiceUrl(url), url).toBe(false);
  });

  it('answers invokes it does not handle with 400 and an error body, never by waiting', async () => {
    s = await startTeams();
    const noData = await s.post({
      ...fixture('invoke-action-execute'),
      value: { action: { type: 'Action.Execute', verb: 'x', data: {} }, trigger: 'manual' },
    });
    expect(noData.status).toBe(400);
    expect(noData.json).toMatchObject({
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
      value: { code: 'BadRequest' },
    });
    const submitAsInvoke = await s.post({
      ...fixture('invoke-action-execute'),
      value: { action: { type: 'Action.Submit', data: { healthbotAction: 'x' } } },
    });
    expect(submitAsInvoke.status).toBe(400);
    const noValue = await s.post({ ...fixture('invoke-action-execute'), value: undefined });
    expect(noValue.status).toBe(400);
    const other = await s.post({ ...fixture('invoke-action-execute'), name: 'composeExtension/query' });
    expect(other.status).toBe(400);
    expect(other.json).toMatchObject({ type: 'application/vnd.microsoft.error' });
  });

  it('ignores activities without sender or conversation, its own messages, and empty mentions', async () => {
    s = await startTeams();
    const m = help('m-x') as Record<string, unknown>;
    expect((await s.post({ ...m, id: 'm-1', from: undefined })).status).toBe(200);
    expect((await s.post({ ...m, id: 'm-2', conversation: { id: '' } })).status).toBe(200);
    expect((await s.post({ ...m, id: 'm-3', from: m.recipient })).status).toBe(200);
    expect((await s.post({ ...m, id: 'm-4', text: '<at>Healthbot</at>' })).status).toBe(200);
    expect((await s.post({ ...m, id: undefined })).status).toBe(200);
    expect((await s.post({ ...fixture('invoke-action-execute'), from: undefined })).status).toBe(400);
    await s.settle();
    expect(s.fake.calls).toEqual([]);
    expect(s.harness.gateway.ran).toEqual([]);
  });

  it('after close, answers 503 and finishes the work it had', async () => {
    s = await startTeams();
    expect((await s.post(help('m-before'))).status).toBe(200);
    await s.adapter.close();
    expect(s.fake.sends(THREAD)).toHaveLength(1);
    expect((await s.post(help('m-after'))).status).toBe(503);
  });
});
