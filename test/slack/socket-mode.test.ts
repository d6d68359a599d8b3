/**
 * Socket Mode, for Exchange shops behind a firewall: the bot opens the WebSocket itself (with the
 * app-level token), receives events as envelopes, acknowledges each by its envelope id, and
 * answers through the Web API. Slack's side is a WebSocket server and the Web API stand-in.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { systemClock } from '../../src/core/index.ts';
import { createSlackAdapter } from '../../adapters/slack/index.ts';
import type { SlackAdapter } from '../../adapters/slack/index.ts';
import { createHarness } from '../engine/harness.ts';
import type { FakeSlackApi } from './fake-slack-api.ts';
import { APP_TOKEN, TOKEN, startFakeSlackApi } from './fake-slack-api.ts';
import { fixture } from './world.ts';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Slack in Socket Mode', () => {
  it(
    'connects with the app token, acknowledges each envelope and answers the mention in its thread',
    { timeout: 30_000 },
    async () => {
      const acks: string[] = [];
      const sockets: WebSocket[] = [];
      const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0 });
      await new Promise((r) => wss.once('listening', r));
      cleanup.push(() => new Promise((r) => wss.close(() => r(undefined))));
      wss.on('connection', (socket) => {
        sockets.push(socket);
        socket.on('message', (data) => acks.push((JSON.parse(String(data)) as { envelope_id: string }).envelope_id));
        socket.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            connection_info: { app_id: 'A0HB1' },
            debug_info: { host: 'test' },
          }),
        );
      });
      const api: FakeSlackApi = await startFakeSlackApi({
        socketUrl: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
      });
      cleanup.push(() => api.close());

      const ref: { harness?: Awaited<ReturnType<typeof createHarness>> } = {};
      const adapter: SlackAdapter = await createSlackAdapter({
        store: { getConversation: (c) => ref.harness!.store.getConversation(c) },
        clock: systemClock,
        log: () => {},
        config: { botToken: TOKEN, appToken: APP_TOKEN, apiUrl: api.url },
        roleGroups: [],
        texts: { en: {} },
        minUpdateIntervalMs: 0,
        updatesPerMinute: 60_000,
      });
      ref.harness = await createHarness('imap-backend-hang', { overrides: { surfaces: () => adapter.surface } });
      expect(adapter.mode).toBe('socket');
      expect(adapter.router).toBeUndefined();
      await adapter.start({
        handle: (e) => ref.harness!.engine.handle(e),
        claim: (id) => ref.harness!.engine.claim(id),
      });
      cleanup.push(() => adapter.close());

      const socket = await until('connection', () => sockets[0]);
      const envelope = {
        envelope_id: 'env-1',
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: '',
        payload: fixture('app_mention'),
      };
      socket.send(JSON.stringify(envelope));
      // Slack redelivers an envelope it did not see acknowledged; the bot answers it once.
      socket.send(JSON.stringify({ ...envelope, envelope_id: 'env-2', retry_attempt: 1, retry_reason: 'timeout' }));
      await until('acknowledgements', () => (acks.includes('env-1') && acks.includes('env-2') ? true : undefined));
      await until('answer', () =>
        api.calls.find((c) => c.method === 'chat.update' && /problem confirmed/.test(c.args.blocks ?? '')),
      );
      const posts = api.calls.filter((c) => c.method === 'chat.postMessage');
      expect(posts).toHaveLength(1);
      expect(posts[0]!.args).toMatchObject({ channel: 'CINCIDENTS', thread_ts: '1764151200.000100' });
      expect(api.calls.find((c) => c.method === 'apps.connections.open')).toBeDefined();
    },
  );
});
