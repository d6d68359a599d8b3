/**
 * DNS rebinding and cross-site posts on the loopback web chat, and what /healthz tells whom. A page
 * on another site that points its name at 127.0.0.1 reaches the bot from the local browser with
 * its own name in Host and Origin; only the configured names (the loopback names on the bot's port
 * by default) are served, and an Origin is judged against that list, not against the Host.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostCheck } from '../../src/wiring/hosts.ts';
import type { WebServer } from './server.ts';
import { startWebChat } from './server.ts';

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** fetch() will not send a Host of our choosing; node:http will, as a rebinding browser does. */
function send(s: WebServer, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        path,
        method: data ? 'POST' : 'GET',
        headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const ask = { persona: 'alice', text: 'help' };

describe('the web chat answers only to its configured host names', () => {
  it('refuses a rebinding Host on every route of the chat, and serves the loopback names on its own port', async () => {
    server = await startWebChat('healthy');
    const s = server;
    for (const host of [
      `evil.example:${s.port}`,
      'evil.example',
      `localhost:${s.port + 1}`,
      `127.0.0.2:${s.port}`,
      `localhost.:${s.port}`,
    ]) {
      expect((await send(s, '/', { host })).status, host).toBe(421);
      expect((await send(s, '/chat/messages', { host, origin: `http://${host}` }, ask)).status, host).toBe(421);
      expect((await send(s, '/chat/messages?persona=alice', { host })).status, host).toBe(421);
      expect((await send(s, '/chat/events?persona=alice', { host })).status, host).toBe(421);
    }
    for (const host of [`localhost:${s.port}`, `127.0.0.1:${s.port}`, `[::1]:${s.port}`, `LOCALHOST:${s.port}`]) {
      expect((await send(s, '/', { host })).status, host).toBe(200);
    }
    expect(await s.harness.store.readAudit()).toEqual([]);
  });

  it('judges Origin against the allowed names, not against the Host: a foreign origin is refused even when Host matches it', async () => {
    server = await startWebChat('healthy');
    const s = server;
    const host = `127.0.0.1:${s.port}`;
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${s.port}`,
      'null',
      `http://127.0.0.1:${s.port + 1}`,
      `file://${s.port}`,
      'https://localhost',
      'garbage',
    ]) {
      const res = await send(s, '/chat/messages', { host, origin }, ask);
      expect(res.status, origin).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'cross-origin' });
    }
    // Another allowed name than the Host's is the same bot (localhost vs 127.0.0.1), so it is accepted.
    for (const origin of [`http://localhost:${s.port}`, `http://127.0.0.1:${s.port}`])
      expect((await send(s, '/chat/messages', { host, origin }, ask)).status, origin).toBe(202);
    // Clients that are not browsers send no Origin at all.
    expect((await send(s, '/chat/messages', { host }, ask)).status).toBe(202);
  });

  it('serves the names of HEALTHBOT_WEB_HOSTS instead of the loopback names when they are set', async () => {
    server = await startWebChat('healthy', { hosts: ['healthbot.contoso.com', 'chat.contoso.com:8443'] });
    const s = server;
    expect((await send(s, '/', { host: 'healthbot.contoso.com' })).status).toBe(200);
    expect((await send(s, '/', { host: 'healthbot.contoso.com:443' })).status).toBe(200);
    expect((await send(s, '/', { host: 'chat.contoso.com:8443' })).status).toBe(200);
    expect((await send(s, '/', { host: 'chat.contoso.com' })).status).toBe(421);
    expect((await send(s, '/', { host: `127.0.0.1:${s.port}` })).status).toBe(421);
    expect(
      (await send(s, '/chat/messages', { host: 'healthbot.contoso.com', origin: 'https://healthbot.contoso.com' }, ask))
        .status,
    ).toBe(202);
    expect(
      (
        await send(
          s,
          '/chat/messages',
          { host: 'healthbot.contoso.com', origin: 'https://healthbot.contoso.com.evil.example' },
          ask,
        )
      ).status,
    ).toBe(403);
  });

  it('matches host names exactly: case aside, no suffixes, prefixes or trailing dots', () => {
    const loopback = createHostCheck(undefined);
    expect(loopback('localhost:3000', 3000)).toBe(true);
    expect(loopback('[::1]:3000', 3000)).toBe(true);
    expect(loopback('localhost', 80)).toBe(true);
    expect(loopback('localhost', 3000)).toBe(false);
    for (const bad of [
      'localhost.evil.example:3000',
      'evil-localhost:3000',
      'localhost.:3000',
      'localhost:3000:1',
      'user@localhost:3000',
      'localhost:99999',
      undefined,
    ])
      expect(loopback(bad, 3000), String(bad)).toBe(false);
    const named = createHostCheck(['healthbot.contoso.com']);
    expect(named('HEALTHBOT.contoso.com', 3000)).toBe(true);
    expect(named('healthbot.contoso.com.evil.example', 3000)).toBe(false);
    expect(named('localhost:3000', 3000)).toBe(false);
  });
});

describe('/healthz and /livez', () => {
  const DETAILS = /detail|uptime/;

  it('in remote mode, tells readiness without a token and the details (data dir, database, scenario) only to a Bearer of the status token', async () => {
    server = await startWebChat('imap-backend-hang', {
      boundHost: '0.0.0.0',
      hosts: ['healthbot.contoso.com'],
      statusToken: 'status-token-0123456789',
    });
    const s = server;
    const open = await send(s, '/healthz', { host: 'healthbot.contoso.com' });
    expect(open.status).toBe(200);
    expect(JSON.parse(open.body)).toEqual({ status: 'ready', live: true, store: { ok: true }, gateway: { ok: true } });
    expect(open.body).not.toMatch(/scenario|imap-backend-hang|detail|uptime/);
    expect(
      (await send(s, '/healthz', { host: 'healthbot.contoso.com', authorization: 'Bearer wrong-token-0123456789' }))
        .body,
    ).not.toMatch(DETAILS);
    const authorised = await send(s, '/healthz', {
      host: 'healthbot.contoso.com',
      authorization: 'Bearer status-token-0123456789',
    });
    expect(JSON.parse(authorised.body)).toMatchObject({
      status: 'ready',
      gateway: { ok: true, detail: expect.stringMatching(/imap-backend-hang/) as unknown },
    });
    expect((await send(s, '/livez', { host: 'anything.example' })).status).toBe(200);
  });

  it('on loopback, shows the details to the loopback names but not to a rebinding Host', async () => {
    server = await startWebChat('imap-backend-hang');
    const s = server;
    expect((await send(s, '/healthz', { host: `127.0.0.1:${s.port}` })).body).toMatch(/imap-backend-hang/);
    const rebound = await send(s, '/healthz', { host: `evil.example:${s.port}` });
    expect(rebound.status).toBe(200);
    expect(rebound.body).not.toMatch(DETAILS);
    expect((await send(s, '/livez', { host: `evil.example:${s.port}` })).status).toBe(200);
  });
});
