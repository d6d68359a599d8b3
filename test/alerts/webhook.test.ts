/**
 * POST /api/alerts over HTTP: bearer token or HMAC signature, 401 for everything else, 413 over
 * the body limit, 400 with the reason for what cannot be read, 503 when the alert could not be
 * stored, and 202 only once it is stored.
 */
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alerts/index.ts';
import { createAlertIntake } from '../../src/core/alerts/index.ts';
import { LAB_SERVERS } from '../../src/exchange/lab/index.ts';
import { finishHttpApp } from '../../src/wiring/http-app.ts';
import type { AlertsWebhookDeps } from '../../src/wiring/alerts-webhook.ts';
import { createAlertsWebhook, signBody } from '../../src/wiring/alerts-webhook.ts';
import { ManualClock, createHarness } from '../engine/harness.ts';
import { recordingChannel } from './channel.ts';

const TOKEN = 'alert-token-0123456789';
const SECRET = 'hmac-secret-0123456789abcdef0123456789';
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function start(
  over: Partial<AlertsWebhookDeps> = {},
  config: AlertsWebhookDeps['config'] = { token: TOKEN, hmacSecret: SECRET, maxBytes: 4096 },
) {
  const accepted: Alert[] = [];
  const clock = new ManualClock('2026-11-30T03:30:00Z');
  const app = express();
  app.use(
    createAlertsWebhook({
      config,
      clock,
      intake: { accept: async (alerts) => (accepted.push(...alerts), alerts.length) },
      vocabulary: async () => ({ servers: LAB_SERVERS, healthSets: ['IMAP', 'ECP.Proxy', 'OWA'] }),
      log: () => {},
      ...over,
    }),
  );
  finishHttpApp(app, () => {});
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/alerts`;
  return { url, accepted, clock };
}

const bearer = (body: string, token = TOKEN): RequestInit => ({
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body,
});

describe('POST /api/alerts', () => {
  it('takes an Alertmanager webhook with the bearer token: 202 with what it understood', async () => {
    const s = await start();
    const res = await fetch(s.url, bearer(fixture('alertmanager-v4-firing.json')));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 1,
      alerts: [{ server: 'SERVER1', healthSet: 'IMAP', monitor: 'ImapCTPMonitor', state: 'raised' }],
    });
    expect(s.accepted).toHaveLength(1);
  });

  it('takes a signed SCOM alert, event XML and pasted e-mail text', async () => {
    const s = await start();
    for (const name of ['scom-command-channel.json', 'event-4-raised.xml', 'email-de.txt']) {
      const body = fixture(name);
      const timestamp = String(Math.floor(s.clock.now().getTime() / 1000));
      const res = await fetch(s.url, {
        method: 'POST',
        headers: {
          'x-healthbot-timestamp': timestamp,
          'x-healthbot-signature': signBody(SECRET, timestamp, body),
          'content-type': 'text/plain',
        },
        body,
      });
      expect(res.status, name).toBe(202);
    }
    expect(s.accepted.map((a) => a.source)).toEqual(['scom', 'event-log', 'text']);
  });

  it.each([
    ['no credentials', {}],
    ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['a token of another scheme', { authorization: `Basic ${TOKEN}` }],
    [
      'a signature over another body',
      { 'x-healthbot-timestamp': '1796009400', 'x-healthbot-signature': signBody(SECRET, '1796009400', '{}') },
    ],
    [
      'a stale signature',
      {
        'x-healthbot-timestamp': '1796009000',
        'x-healthbot-signature': signBody(SECRET, '1796009000', fixture('own-raised.json')),
      },
    ],
    [
      'a signature with the wrong secret',
      {
        'x-healthbot-timestamp': '1796009400',
        'x-healthbot-signature': signBody(`${SECRET}x`, '1796009400', fixture('own-raised.json')),
      },
    ],
  ])('refuses %s with 401 and stores nothing', async (_name, headers) => {
    const s = await start();
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: fixture('own-raised.json'),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorised' });
    expect(s.accepted).toEqual([]);
  });

  it('refuses everything when no credentials are configured', async () => {
    const s = await start({}, { maxBytes: 4096 });
    expect((await fetch(s.url, bearer(fixture('own-raised.json'), ''))).status).toBe(401);
    expect((await fetch(s.url, { method: 'POST', body: fixture('own-raised.json') })).status).toBe(401);
  });

  it('answers 413 for a body over the limit, announced or streamed', async () => {
    const s = await start();
    const big = JSON.stringify({ server: 'SERVER1', healthSet: 'IMAP', state: 'raised', text: 'x'.repeat(5000) });
    expect((await fetch(s.url, bearer(big))).status).toBe(413);
    // Without a length up front (chunked), the limit still holds while reading.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await fetch(s.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(s.accepted).toEqual([]);
  });

  it.each([
    ['{"server": "SERVER1",', 'not valid JSON'],
    ['{"server": "SERVER1", "healthSet": "IMAP", "state": "firing"}', 'state must be "raised" or "cleared"'],
    ['', 'empty'],
    ['hello', 'no health set and no server'],
  ])('answers 400 with the reason for %j', async (body, reason) => {
    const s = await start();
    const res = await fetch(s.url, bearer(body));
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; message: string };
    expect(answer.error).toBe('unparseable');
    expect(answer.message).toContain(reason);
  });

  it('answers 503 when the alert could not be stored, so the sender keeps it', async () => {
    const s = await start({ intake: { accept: () => Promise.reject(new Error('database went away')) } });
    expect((await fetch(s.url, bearer(fixture('own-raised.json')))).status).toBe(503);
  });

  it('acknowledges only once the alert is in the store', async () => {
    const h = await createHarness('imap-backend-hang');
    const intake = createAlertIntake({ ctx: h.engine.context, channels: () => [recordingChannel(h.surface)] });
    const s = await start({ intake });
    expect((await fetch(s.url, bearer(fixture('own-raised.json')))).status).toBe(202);
    expect(await h.store.listValues('alerts:inbox:', 10)).toHaveLength(1);
    expect(await intake.drain()).toMatchObject({ opened: 1 });
  });
});
