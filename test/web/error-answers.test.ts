/**
 * Every error answer of the bot's HTTP app is a short JSON body without internals (no stack, no
 * file path, no HTML error page), under NODE_ENV=production and =development alike: malformed JSON,
 * an oversized body, an unknown charset, a corrupt gzip body, an unknown content encoding, an
 * unknown route, and a handler that throws or rejects.
 */
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createHostCheck } from '../../src/wiring/hosts.ts';
import { createHttpApp, finishHttpApp } from '../../src/wiring/http-app.ts';
import type { CrashWatch } from '../support/crash-watch.ts';
import { watchForCrashes } from '../support/crash-watch.ts';
import type { WebServer } from './server.ts';
import { startWebChat } from './server.ts';

const savedEnv = process.env.NODE_ENV;
let server: WebServer | undefined;
let watch: CrashWatch | undefined;
afterEach(async () => {
  process.env.NODE_ENV = savedEnv;
  watch?.stop();
  await server?.close();
  server = undefined;
});

/** No stack frames, no paths of this machine, no HTML page: a short JSON object with a code. */
async function expectPlainError(res: Response, status: number, code: string): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(text.length).toBeLessThan(200);
  expect(text).not.toMatch(/<html|<pre|\bat \w|node_modules|\/work\/|\.ts:\d|\.js:\d|Error:/i);
  expect(JSON.parse(text)).toMatchObject({ error: code });
}

describe.each(['production', 'development'])('error answers with NODE_ENV=%s', (env) => {
  it('answers malformed JSON, oversized bodies, bad charsets, bad encodings and unknown routes in short JSON', async () => {
    process.env.NODE_ENV = env;
    server = await startWebChat('healthy');
    const url = `${server.url}/chat/messages`;
    const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    await expectPlainError(await post('{"persona": "alice", "text":'), 400, 'invalid-json');
    await expectPlainError(
      await post(JSON.stringify({ persona: 'alice', text: 'x'.repeat(40_000) })),
      413,
      'too-large',
    );
    await expectPlainError(
      await post('{"persona":"alice","text":"hi"}', { 'content-type': 'application/json; charset=x-klingon' }),
      415,
      'unsupported-charset',
    );
    await expectPlainError(
      await post(Buffer.from('definitely not gzip'), { 'content-encoding': 'gzip' }),
      400,
      'bad-request',
    );
    const truncated = gzipSync(JSON.stringify({ persona: 'alice', text: 'hi' })).subarray(0, 12);
    await expectPlainError(await post(truncated, { 'content-encoding': 'gzip' }), 400, 'bad-request');
    await expectPlainError(await post('{}', { 'content-encoding': 'x-unknown' }), 415, 'unsupported-encoding');
    await expectPlainError(await fetch(`${server.url}/no/such/route`), 404, 'not-found');
    await expectPlainError(await fetch(`${server.url}/chat/nothing`, { method: 'POST' }), 404, 'not-found');
    // A good gzip body still works: the answers above are about bad input, not about gzip.
    expect(
      (await post(gzipSync(JSON.stringify({ persona: 'alice', text: 'help' })), { 'content-encoding': 'gzip' })).status,
    ).toBe(202);
    expect(server.errors).toEqual([]);
  });

  it('answers a handler that throws or rejects with a 500 in short JSON, logs it, and keeps serving', async () => {
    process.env.NODE_ENV = env;
    watch = watchForCrashes();
    const health = async () => ({ ok: true, detail: 'fine' });
    const app = createHttpApp({
      config: { host: '127.0.0.1' },
      metrics: createMetrics(),
      store: { health },
      gateway: { health },
      allowedHost: createHostCheck(undefined),
    });
    app.get('/throws', () => {
      throw new Error('secret detail at /work/src/thing.ts:12');
    });
    app.get('/rejects', async () => {
      await Promise.resolve();
      throw new TypeError("Cannot read properties of null (reading 'x')");
    });
    const logged: object[] = [];
    finishHttpApp(app, (_message, fields) => logged.push(fields));
    const http: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      await expectPlainError(await watch.race(fetch(`${base}/throws`)), 500, 'internal-error');
      await expectPlainError(await watch.race(fetch(`${base}/rejects`)), 500, 'internal-error');
      expect(logged).toHaveLength(2);
      expect(JSON.stringify(logged)).toMatch(/secret detail/);
      expect((await watch.race(fetch(`${base}/livez`))).status).toBe(200);
    } finally {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    }
  });
});
